/**
 * Driver directories a GPU container must find at run time (GKE installs the driver under /usr/local/nvidia), added
 * to the image's own PATH and LD_LIBRARY_PATH when the container starts, never written as literal values: Kubernetes
 * `env` replaces an image's `ENV`, so a literal would drop the image's venv (`/opt/dynamo/venv/bin`) and its NIXL
 * and UCX libraries.
 *
 * The wrapper is the operator's own shell form (`command: [/bin/sh, -c]`, one argument string). The 0.9.0 operator
 * leaves a single-node worker's command alone, and for a multinode SGLang worker injects its flags into the string
 * after `python3 -m dynamo.sglang` (utils.go, injectFlagsIntoPythonCommand). For multinode vLLM (Ray) and TRT-LLM
 * (mpirun, sshd) it replaces the command with its own launcher (`ray start ... --block`, `sshd -D`), so no wrapper
 * survives there; those workers keep the plain `python3 -m ...` form the operator expects, and the driver
 * directories come from the runtime images' base (`nvidia/cuda` and `cuda-dl-base` put /usr/local/nvidia/bin on
 * PATH and /usr/local/nvidia/lib64 on LD_LIBRARY_PATH, which the Dynamo images extend with `:$LD_LIBRARY_PATH`).
 */
import type { DriverPaths } from '../../../spec/profile/types.js';
import type { Backend } from './backends.js';

export type { DriverPaths };

/** The shell prelude: `$PATH` and `$LD_LIBRARY_PATH` as the image set them, with the driver directories after. */
export function driverPathPrelude(p: DriverPaths): string {
  const parts: string[] = [];
  if (p.binDirs.length) parts.push(`PATH="$PATH:${p.binDirs.join(':')}"`);
  if (p.libraryDirs.length) parts.push(`LD_LIBRARY_PATH="\${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}${p.libraryDirs.join(':')}"`);
  return parts.length ? `export ${parts.join(' ')}` : '';
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** One word for a POSIX shell: as is when it is safe, else single-quoted. */
export const shellQuote = (word: string): string => (SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** Whether the operator keeps a worker's command (so a wrapper survives) for this backend and topology. */
export const operatorKeepsCommand = (backend: Backend, multinode: boolean): boolean => !multinode || backend === 'sglang';

/**
 * The container's command and args: as given, or wrapped in a shell that adds the driver directories and then
 * `exec`s the original command with its arguments (so the engine stays PID 1 and gets the signals).
 */
export function withDriverPaths(command: readonly string[], args: readonly string[], paths: DriverPaths | undefined, keepsCommand: boolean): { command: string[]; args: string[] } {
  const prelude = paths ? driverPathPrelude(paths) : '';
  if (!prelude || !keepsCommand) return { command: [...command], args: [...args] };
  return { command: ['/bin/sh', '-c'], args: [`${prelude}; exec ${[...command, ...args].map(shellQuote).join(' ')}`] };
}
