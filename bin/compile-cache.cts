/**
 * A V8 code cache for the CommonJS packages our command-line entry points load (the provider, cdktf and cdk8s
 * modules: about 20 MB of JavaScript, whose compilation is the largest single cost of a synth).
 *
 * Node 22 has this built in (`module.enableCompileCache`); where it exists, it is used. On Node 20 this module
 * does the same for CommonJS files under node_modules: the first run compiles them as Node does and, on exit, stores
 * what V8 compiled (lazily compiled functions included) in `<node_modules>/.cache/dynamo-iac/`; later runs hand it
 * back to V8, which skips parsing and compiling those functions. An entry is keyed by the file's path, size and
 * modification time and by the Node version, so an updated package or Node is compiled afresh, and V8 itself
 * rejects data from another V8 or other flags (then the file is compiled and its entry rewritten). Nothing changes
 * in what the modules do; only the cost of loading them.
 *
 *   DYNAMO_IAC_COMPILE_CACHE=off   no cache (nor with DYNAMO_IAC_ONE_SHOT=off, see one-shot.ts)
 *   DYNAMO_IAC_COMPILE_CACHE=DIR   the cache in DIR
 *
 * An entry point imports this module first, before anything that loads a package. A cache that cannot be read or
 * written is no cache: the run goes on uncached.
 */
import { Module } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { Script, constants } from 'node:vm';

type Compile = (this: Module, content: string, filename: string) => unknown;
type NativeCache = (dir: string) => unknown;

/** Where the cache lives by default: beside the packages it holds, in the node_modules that has cdktf. */
function defaultDir(): string | undefined {
  try {
    const pkg = require.resolve('cdktf');
    const nm = pkg.slice(0, pkg.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules`.length);
    return join(nm, '.cache', 'dynamo-iac');
  } catch {
    return undefined;
  }
}

/** The cache file of a module file: its path, size and mtime, and the Node that compiled it. */
function entryFile(dir: string, filename: string): string {
  const st = statSync(filename);
  return join(dir, `${createHash('sha1').update(`${filename}\0${st.size}\0${st.mtimeMs}`).digest('hex')}.bin`);
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
  const resolve = ((request: string, options?: { paths?: string[] }) => internal._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => internal._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  req.main = require.main;
  req.cache = internal._cache;
  req.extensions = internal._extensions;
  return req;
}

function installShim(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const proto = Module.prototype as unknown as { _compile: Compile };
  const compile = proto._compile;
  const pending: { file: string; script: Script }[] = [];
  proto._compile = function (this: Module, content: string, filename: string) {
    if (!filename.includes(`${sep}node_modules${sep}`)) return compile.call(this, content, filename);
    let file: string;
    let cachedData: Buffer | undefined;
    try {
      file = entryFile(dir, filename);
    } catch {
      return compile.call(this, content, filename);
    }
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new Script(Module.wrap(content), {
      filename,
      ...(cachedData && { cachedData }),
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (!cachedData || script.cachedDataRejected) pending.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireOf(this), this, filename, dirname(filename));
  };
  // On exit, after the run: the data then holds the functions V8 compiled while running, not only the top level.
  process.once('exit', () => {
    for (const { file, script } of pending) {
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, file);
      } catch {
        // No cache this time; the next run tries again.
      }
    }
  });
}

const setting = process.env['DYNAMO_IAC_COMPILE_CACHE'];
const off = setting === 'off' || process.env['DYNAMO_IAC_ONE_SHOT'] === 'off';
const dir = off ? undefined : setting || defaultDir();
if (dir) {
  const native = (Module as unknown as { enableCompileCache?: NativeCache }).enableCompileCache;
  try {
    if (native) native(dir);
    else installShim(dir);
  } catch {
    // Uncached.
  }
}
