/**
 * A V8 code cache for the CommonJS packages our command-line entry points load (the provider, cdktf and cdk8s
 * modules: about 20 MB of JavaScript, whose compilation is the largest single cost of a synth).
 *
 * Node 22 has this built in (`module.enableCompileCache`); where it exists, it is used. On Node 20 this module
 * does the same for CommonJS files under node_modules: the first run compiles them as Node does and, on exit, stores
 * what V8 compiled (lazily compiled functions included) in `<node_modules>/.cache/dynamo-iac/`; later runs hand it
 * back to V8, which skips parsing and compiling those functions. An entry is keyed by the file's path, inode, size,
 * modification and change times (a rewritten file has a new change time, whatever its size and mtime) and lives in a
 * folder per Node version and architecture; V8 itself rejects data from another V8 or other flags (then the file is
 * compiled and its entry rewritten). The folder is emptied when it holds more than MAX_ENTRIES entries (old ones of
 * updated packages). Nothing changes in what the modules do, only the cost of loading them: a file Node would load as
 * an ES module, a file with `import(` (whose callback a cached script cannot carry) and anything the shim cannot
 * compile go to Node's own `_compile`. Errors point at the same line and column as without the cache. With source
 * maps on (`--enable-source-maps`), which Node reads in its own `_compile`, there is no cache.
 *
 * The first run after `npm ci` pays for writing the cache (about 20% more CPU than a run without it); later runs
 * save more than that (README, "Benchmark"). A folder that cannot be written is no cache.
 *
 *   DYNAMO_IAC_COMPILE_CACHE=off   no cache (nor with DYNAMO_IAC_ONE_SHOT=off, see one-shot.ts)
 *   DYNAMO_IAC_COMPILE_CACHE=DIR   the cache in DIR
 *
 * An entry point imports this module first, before anything that loads a package. A cache that cannot be read or
 * written is no cache: the run goes on uncached.
 */
import { Module } from 'node:module';
import { createHash } from 'node:crypto';
import { accessSync, constants as fs, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';

type Compile = (this: Module, content: string, filename: string, format?: string) => unknown;
type NativeCache = (dir: string) => unknown;

/** More entries than this (several runs of updated packages) and the folder is emptied; one synth loads about 530. */
export const MAX_ENTRIES = 5000;
const NODE_MODULES = `${sep}node_modules${sep}`;
/** Where Module.wrap puts the source: after this many characters of line 1. */
const WRAP_PREFIX = Module.wrap('\u0000').indexOf('\u0000');
/**
 * A dynamic import (`import(`, also with a comment before the parenthesis): V8 needs a callback for it, which a script
 * run from cached data does not get back on Node 20 (even with `vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER`, the
 * warm run fails "A dynamic import callback was not specified"). Such files are Node's to compile.
 */
const DYNAMIC_IMPORT = /\bimport\s*(?:\(|\/[*/])/;

/** Where the cache lives by default: beside the packages it holds, in the node_modules that has cdktf. */
function defaultDir(): string | undefined {
  try {
    const pkg = require.resolve('cdktf');
    const at = pkg.lastIndexOf(NODE_MODULES);
    return at < 0 ? undefined : join(pkg.slice(0, at + NODE_MODULES.length), '.cache', 'dynamo-iac');
  } catch {
    return undefined;
  }
}

/** The cache file of a module file: its path, inode, size, modification and change times. */
function entryFile(dir: string, filename: string): string {
  const st = statSync(filename);
  return join(dir, `${createHash('sha1').update(`${filename}\0${st.ino}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}`).digest('hex')}.bin`);
}

/** `require` as Node builds it for a module (resolution, cache, main), for the wrapper compiled here. */
function requireOf(mod: Module): NodeJS.Require {
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  const internal = Module as unknown as {
    _resolveFilename(request: string, parent: Module, isMain: boolean, options?: { paths?: string[] }): string;
    _resolveLookupPaths(request: string, parent: Module): string[] | null;
    _cache: NodeJS.Dict<Module>;
    _extensions: NodeJS.RequireExtensions;
  };
  const resolve = ((request: string, options?: { paths?: string[] }) => {
    if (typeof request !== 'string') throw Object.assign(new TypeError(`The "request" argument must be of type string. Received ${typeof request}`), { code: 'ERR_INVALID_ARG_TYPE' });
    return internal._resolveFilename(request, mod, false, options);
  }) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => internal._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  // As Node's makeRequireFunction: the main module when this module is compiled (undefined under `-r`, then set).
  req.main = process.mainModule;
  req.cache = internal._cache;
  req.extensions = internal._extensions;
  return req;
}

/** The script of a CommonJS file, with its cached data when there is some; undefined when Node should compile it. */
function scriptOf(content: string, filename: string, cachedData: Buffer | undefined): Script | undefined {
  try {
    return new Script(Module.wrap(content), { filename, columnOffset: -WRAP_PREFIX, ...(cachedData && { cachedData }) });
  } catch {
    // Not a script (ES module syntax that Node 20.20 detects in _compile), or a syntax error that Node reports its way.
    return undefined;
  }
}

/**
 * Empties the folder when it has grown past MAX_ENTRIES, and removes from the cache's root whatever is not this
 * Node's folder (other Node versions, an older layout).
 */
function prune(root: string, dir: string): void {
  try {
    if (readdirSync(dir).length > MAX_ENTRIES) for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true });
    for (const f of readdirSync(root)) if (join(root, f) !== dir) rmSync(join(root, f), { recursive: true, force: true });
  } catch {
    // Left as it is.
  }
}

function installShim(root: string): void {
  const dir = join(root, `${process.version}-${process.arch}`);
  mkdirSync(dir, { recursive: true });
  accessSync(dir, fs.W_OK);
  const proto = Module.prototype as unknown as { _compile: Compile };
  const compile = proto._compile;
  const pending: { file: string; script: Script }[] = [];
  proto._compile = function (this: Module, content: string, filename: string, format?: string) {
    if (format === 'module' || !filename.includes(NODE_MODULES) || DYNAMIC_IMPORT.test(content)) return compile.call(this, content, filename, format);
    let file: string;
    let cachedData: Buffer | undefined;
    try {
      file = entryFile(dir, filename);
    } catch {
      return compile.call(this, content, filename, format);
    }
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = scriptOf(content, filename, cachedData);
    if (!script) return compile.call(this, content, filename, format);
    if (!cachedData || script.cachedDataRejected) pending.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireOf(this), this, filename, dirname(filename));
  };
  // On exit, after the run: the data then holds the functions V8 compiled while running, not only the top level.
  process.once('exit', () => {
    if (pending.length) prune(root, dir);
    for (const { file, script } of pending) {
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, file);
      } catch {
        // No cache this time; the next run tries again.
        return;
      }
    }
  });
}

const setting = process.env['DYNAMO_IAC_COMPILE_CACHE'];
const off = setting === 'off' || process.env['DYNAMO_IAC_ONE_SHOT'] === 'off';
const root = off ? undefined : setting || defaultDir();
if (root) {
  const native = (Module as unknown as { enableCompileCache?: NativeCache }).enableCompileCache;
  try {
    if (native) native(root);
    // Source maps of packages are read by Node's own _compile: with them on, no shim.
    else if (!process.sourceMapsEnabled) installShim(root);
  } catch {
    // Uncached.
  }
}
