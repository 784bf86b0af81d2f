/**
 * Where a Dynamo 0.9.0 runtime container may write when its root filesystem is read-only: every graph container
 * (frontend, workers, planner) runs with `readOnlyRootFilesystem: true` and gets emptyDir volumes at the places its
 * processes really write, read in ai-dynamo/dynamo at 233a1e9 (0.9.0):
 *
 * - `$HOME` = /home/dynamo (`ENV HOME` and `useradd -m` in container/templates/*_runtime.Dockerfile and
 *   frontend.Dockerfile; the SGLang image sets no HOME, so the runtime takes uid 1000's passwd entry, the same
 *   path): the image holds only the skeleton dot-files and an empty `.cache` there. At run time ~/.cache
 *   (Hugging Face when no cache is mounted, vLLM's compile cache, FlashInfer's and DeepGEMM's JIT kernels, numba),
 *   ~/.triton, ~/.nv/ComputeCache (CUDA JIT), ~/.config (vLLM usage stats), and on multinode TRT-LLM ~/.ssh
 *   (keys, sshd_config, host keys, pid file: deploy/operator/internal/dynamo/backend_trtllm.go).
 * - /tmp (no image sets TMPDIR): Python's tempfile, the ZMQ `ipc://` sockets vLLM and SGLang open between their
 *   processes, torch inductor (/tmp/torchinductor_<user>), `ray start`'s session directory /tmp/ray (multinode vLLM,
 *   backend_vllm.go), OpenMPI's session directory (multinode TRT-LLM mpirun).
 * - /run/sshd on multinode TRT-LLM only: the operator's worker command runs `mkdir -p ... /run/sshd` before `sshd`
 *   (backend_trtllm.go setupWorkerContainer); uid 1000 cannot create it under /run, with or without a read-only
 *   root, so a mount makes the directory exist and the `&&` chain go on. sshd itself, run as non-root, needs no
 *   privilege-separation directory.
 * - /dev/shm is the operator's own memory emptyDir on every service (graph.go generateSharedMemoryVolumeAndMount,
 *   8Gi unless `sharedMemory` says otherwise) and a tmpfs of the runtime otherwise: never the root filesystem.
 *
 * The volumes have no size limit, like the writable layer they replace: a worker without the shared model cache
 * downloads the model into ~/.cache/huggingface. They count against the pod's ephemeral storage as that layer did.
 * Read-only on purpose: /opt/dynamo (the venv; Python skips writing bytecode it cannot write) and /workspace (the
 * examples and the Planner's code, the working directories).
 */
import type { DgdEnv, DgdVolumeMount, JsonObject } from './dgd-types.js';

/** The image user's home in every 0.9.0 runtime image. */
export const RUNTIME_HOME = '/home/dynamo';
/** The temporary directory (no image sets TMPDIR). */
export const RUNTIME_TMP = '/tmp';
/** The directory the operator's multinode TRT-LLM worker command creates before starting sshd. */
export const SSHD_RUN_DIR = '/run/sshd';

/** Volume names the construct adds to a service's pod. */
export const SCRATCH_VOLUMES = { home: 'runtime-home', tmp: 'runtime-tmp', sshd: 'sshd-run' } as const;
/** The operator's /dev/shm volume (consts.go KubeValueNameSharedMemory). */
export const OPERATOR_SHM_VOLUME = 'shared-memory';
/** Where the operator mounts its shared-memory volume on every service (consts.go DefaultSharedMemoryMountPath). */
export const OPERATOR_SHM_PATH = '/dev/shm';
/** Where the operator mounts the mpirun SSH key pair on multinode TRT-LLM workers (backend_trtllm.go addSSHVolumeMount). */
export const OPERATOR_SSH_KEYS_PATH = '/ssh-pk';

export interface Scratch {
  readonly volumes: JsonObject[];
  readonly mounts: JsonObject[];
}

/** The writable volumes of a runtime container: home and /tmp always, /run/sshd for multinode TRT-LLM. */
export function runtimeScratch(o: { readonly sshd?: boolean } = {}): Scratch {
  const dirs: [string, string][] = [
    [SCRATCH_VOLUMES.home, RUNTIME_HOME],
    [SCRATCH_VOLUMES.tmp, RUNTIME_TMP],
    ...(o.sshd ? [[SCRATCH_VOLUMES.sshd, SSHD_RUN_DIR] as [string, string]] : []),
  ];
  return {
    volumes: dirs.map(([name]) => ({ name, emptyDir: {} })),
    mounts: dirs.map(([name, mountPath]) => ({ name, mountPath })),
  };
}

/**
 * Variables naming a directory the processes write (home, temporary directory, caches). Each one a service sets
 * must lie on a writable mount of that service once the root filesystem is read-only.
 */
export const WRITE_DIR_VARS = [
  'HOME',
  'TMPDIR',
  'XDG_CACHE_HOME',
  'XDG_CONFIG_HOME',
  'HF_HOME',
  'HF_HUB_CACHE',
  'TRANSFORMERS_CACHE',
  'VLLM_CACHE_ROOT',
  'TRITON_CACHE_DIR',
  'TORCHINDUCTOR_CACHE_DIR',
  'CUDA_CACHE_PATH',
  'FLASHINFER_WORKSPACE_BASE',
  'RAY_TMPDIR',
  // The frontend's hub cache when neither HF_HUB_CACHE nor HF_HOME is set (lib/llm/src/hub.rs).
  'MODEL_EXPRESS_CACHE_PATH',
  // The file key-value store of the `file` discovery backend (lib/runtime/src/storage/kv.rs; default $TMPDIR/dynamo_store_kv).
  'DYN_FILE_KV',
] as const;

const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`);
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The pod's main container (extraPodSpec.mainContainer) and its own volume mounts. */
function mainContainer(pod: JsonObject): { main: JsonObject; own: JsonObject[] } {
  const main = isObject(pod['mainContainer']) ? pod['mainContainer'] : {};
  return { main, own: (Array.isArray(main['volumeMounts']) ? main['volumeMounts'] : []).filter(isObject) };
}

/**
 * Problems of one service: a write-directory variable (graph envs, then the service's, then the container's, merged
 * as the operator merges them) outside every writable mount of a read-only container. `claimMounts` are the
 * service's claim mounts (the operator mounts them read-write), `field` names the service in messages.
 */
export function writablePathProblems(field: string, graphEnvs: readonly DgdEnv[], serviceEnvs: readonly DgdEnv[], claimMounts: readonly DgdVolumeMount[], pod: JsonObject): string[] {
  const { main, own } = mainContainer(pod);
  const sc = isObject(main['securityContext']) ? main['securityContext'] : {};
  if (sc['readOnlyRootFilesystem'] !== true) return [];
  const writable = [
    ...own.filter((m) => m['readOnly'] !== true).map((m) => String(m['mountPath'])),
    ...claimMounts.flatMap((m) => (m.mountPoint ? [m.mountPoint] : [])),
    OPERATOR_SHM_PATH,
  ];
  const env = new Map<string, string | undefined>();
  const containerEnv = (Array.isArray(main['env']) ? main['env'] : []).filter(isObject) as unknown as DgdEnv[];
  for (const e of [...containerEnv, ...graphEnvs, ...serviceEnvs]) env.set(e.name, e.value);
  const out: string[] = [];
  for (const name of WRITE_DIR_VARS) {
    const value = env.get(name);
    if (value === undefined) continue;
    if (!writable.some((dir) => under(value, dir))) {
      out.push(`${field}.envs: ${name}=${value} is on no writable volume of the service (the root filesystem is read-only; writable: ${writable.join(', ')})`);
    }
  }
  return out;
}

/** Problems of one service: a volume name the pod would hold twice (ours, the operator's, the claims, extraPodSpec). */
export function volumeNameProblems(field: string, claimMounts: readonly DgdVolumeMount[], pod: JsonObject): string[] {
  const names = [
    ...(Array.isArray(pod['volumes']) ? pod['volumes'] : []).filter(isObject).map((v) => String(v['name'])),
    ...claimMounts.map((m) => m.name),
    OPERATOR_SHM_VOLUME,
  ];
  const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  return twice.map((n) => `${field}: volume "${n}" is defined twice in the pod (the construct adds ${Object.values(SCRATCH_VOLUMES).join(', ')}, the operator ${OPERATOR_SHM_VOLUME} and one per claim)`);
}

/** A mount path as the kernel sees it (no trailing slash, no `//` or `.`), so `/tmp/` and `/tmp` are one place. */
function normalPath(p: string): string {
  // Already normal, as almost every path is: no empty or `.` segment, no trailing slash.
  const dotSegment = p === '.' || p.startsWith('./') || p.includes('/./') || p.endsWith('/.');
  if (p !== '' && !dotSegment && !p.includes('//') && (p.length < 2 || !p.endsWith('/'))) return p;
  return (p.replace(/\/+/g, '/').split('/').filter((x) => x !== '.').join('/').replace(/(.)\/$/, '$1')) || '/';
}

/**
 * Problems of one service: a mount path the main container would hold twice. The API server refuses a container whose
 * volumeMounts share a mountPath ("must be unique"), and the operator appends to ours (extraPodSpec's, with the
 * construct's /home/dynamo, /tmp and, on multinode TRT-LLM, /run/sshd) one mount per claim at its mountPoint, its
 * shared memory at /dev/shm, and on multinode TRT-LLM the SSH key pair at /ssh-pk (ai-dynamo/dynamo 0.9.0,
 * deploy/operator/internal/dynamo/graph.go, backend_trtllm.go).
 */
export function mountPathProblems(field: string, claimMounts: readonly DgdVolumeMount[], pod: JsonObject, o: { readonly sshKeys: boolean }): string[] {
  const { own } = mainContainer(pod);
  // Who uses a path is spelled out only when it is used twice.
  const mounts: [string, () => string][] = [
    ...own.map((m): [string, () => string] => [String(m['mountPath']), () => `volume "${String(m['name'])}"`]),
    ...claimMounts.flatMap((m): [string, () => string][] => (m.mountPoint ? [[m.mountPoint, () => `${m.useAsCompilationCache ? 'the compilation cache claim' : 'claim'} "${m.name}" (mountPoint)`]] : [])),
    [OPERATOR_SHM_PATH, () => `the operator's shared memory`],
    ...(o.sshKeys ? [[OPERATOR_SSH_KEYS_PATH, () => `the operator's SSH keys (multinode TRT-LLM)`] as [string, () => string]] : []),
  ];
  const owners = new Map<string, (() => string)[]>();
  for (const [path, owner] of mounts) {
    const n = normalPath(path);
    const list = owners.get(n);
    if (list) list.push(owner);
    else owners.set(n, [owner]);
  }
  return [...owners]
    .filter(([, who]) => who.length > 1)
    .map(
      ([path, who]) =>
        `${field}.volumeMounts: mount path "${path}" is used by ${who.map((w) => w()).join(' and ')}; a container's mount paths must be unique (the construct mounts ${RUNTIME_HOME}, ${RUNTIME_TMP} and on multinode TRT-LLM ${SSHD_RUN_DIR}; the operator ${OPERATOR_SHM_PATH} and on multinode TRT-LLM ${OPERATOR_SSH_KEYS_PATH}): choose another mountPoint`,
    );
}
