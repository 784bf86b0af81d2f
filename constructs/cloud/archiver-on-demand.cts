/**
 * cdktf without archiver in this process.
 *
 * cdktf's index loads `lib/private/fs.js`, which requires `archiver` at load time, and archiver with its streams,
 * globbing and compression libraries (about 150 files) costs about 50 ms of CPU per synth. Yet cdktf never
 * calls it in this process: `archiveSync` (a TerraformAsset of type ARCHIVE) runs `node lib/private/fs.js <src>
 * <dest>` as a child process, which loads the real archiver itself. So before cdktf loads, the module cache gets,
 * under the path cdktf resolves `archiver` to, a function that loads the real archiver on its first call and forwards
 * every call to it. One loaded earlier by anyone is left as it is.
 *
 * Every facade that loads cdktf, or a provider package (each requires cdktf), imports this module first;
 * test/constructs/cloud/archiver-on-demand.test.ts checks both the saving and that archives still come out.
 */
import { Module } from 'node:module';

type Archiver = ((...args: unknown[]) => unknown) & Record<string, unknown>;

const fromCdktf = Module.createRequire(require.resolve('cdktf'));
const path = fromCdktf.resolve('archiver');

if (!require.cache[path]) {
  let real: Archiver | undefined;
  const load = (): Archiver => {
    if (!real) {
      delete require.cache[path];
      real = fromCdktf('archiver') as Archiver;
    }
    return real;
  };
  const onDemand = ((...args: unknown[]) => load()(...args)) as Archiver;
  // archiver's other exports (`create`, `registerFormat`, `isRegisteredFormat`), forwarded the same way.
  for (const name of ['create', 'registerFormat', 'isRegisteredFormat']) {
    onDemand[name] = (...args: unknown[]) => (load()[name] as (...a: unknown[]) => unknown)(...args);
  }
  const stand = new Module(path);
  stand.filename = path;
  stand.loaded = true;
  stand.exports = onDemand;
  require.cache[path] = stand;
}
