/**
 * The runtime containers of Dynamo 0.9.0, typed: per backend the image (from the version matrix), the module the
 * worker runs (`python3 -m dynamo.<backend>`), the service names the Planner expects, and the argument builder for
 * the model, tensor parallelism, disaggregation and KV-event flags that backend uses.
 */
import { type Backend, WORKER_SERVICE_NAMES, type WorkerRole } from '../../../spec/naming.js';
import { type ImageRef, VERSIONS } from '../../../spec/versions.js';
import { RUNTIME_HOME } from './runtime-scratch.js';

export { BACKENDS, type Backend, WORKER_ROLES, type WorkerRole } from '../../../spec/naming.js';

/** Where a TRT-LLM worker finds its engine configuration (a ConfigMap we generate, mounted read-only). */
export const TRTLLM_ENGINE_DIR = '/etc/dynamo/engine';

/** SGLang's default bootstrap port for the KV transfer handshake between prefill and decode workers. */
export const SGLANG_BOOTSTRAP_PORT = 12345;

export interface WorkerArgsOptions {
  /** Hugging Face model id or a path, e.g. `Qwen/Qwen3-0.6B`. */
  readonly model: string;
  /** Name clients use in requests. @default - the model */
  readonly servedModelName?: string;
  /** GPUs one model replica spans (over all nodes of a multinode worker). @default 1 */
  readonly tensorParallelSize?: number;
  /** @default 'aggregated' */
  readonly role?: WorkerRole;
  /** The frontend routes by KV-cache overlap: publish KV events. @default false */
  readonly kvEvents?: boolean;
  /** Allow the model repository to run its own Python code. @default false */
  readonly trustRemoteCode?: boolean;
  /** SGLang: bootstrap port of disaggregated workers. @default 12345 */
  readonly bootstrapPort?: number;
  /** TRT-LLM: path of the engine configuration. @default `/etc/dynamo/engine/<role>.yaml` */
  readonly extraEngineArgs?: string;
}

export interface BackendRuntime {
  readonly backend: Backend;
  readonly image: ImageRef;
  /** `dynamo.vllm`, `dynamo.sglang`, `dynamo.trtllm`. */
  readonly module: string;
  /** Working directory of upstream's examples in the image. */
  readonly workingDir: string;
  /** Service names per role: the disaggregated ones are the names the Planner looks for. */
  readonly serviceNames: Readonly<Record<WorkerRole, string>>;
  /** Default mount point of the compilation cache (under the image user's home), if the backend has one. */
  readonly compilationCacheMountPoint?: string;
  readonly args: (o: WorkerArgsOptions) => string[];
}

const tp = (o: WorkerArgsOptions) => String(o.tensorParallelSize ?? 1);
const role = (o: WorkerArgsOptions): WorkerRole => o.role ?? 'aggregated';

export const RUNTIMES: Readonly<Record<Backend, BackendRuntime>> = {
  vllm: {
    backend: 'vllm',
    image: VERSIONS.dynamo.runtimeImages.vllm,
    module: 'dynamo.vllm',
    workingDir: '/workspace/examples/backends/vllm',
    serviceNames: WORKER_SERVICE_NAMES.vllm,
    // The operator's default (/root/.cache/vllm) is not writable by the image's non-root user.
    compilationCacheMountPoint: `${RUNTIME_HOME}/.cache/vllm`,
    args: (o) => [
      '--model',
      o.model,
      ...(o.servedModelName ? ['--served-model-name', o.servedModelName] : []),
      '--tensor-parallel-size',
      tp(o),
      ...(role(o) === 'prefill' ? ['--is-prefill-worker'] : role(o) === 'decode' ? ['--is-decode-worker'] : []),
      ...(o.trustRemoteCode ? ['--trust-remote-code'] : []),
    ],
  },
  sglang: {
    backend: 'sglang',
    image: VERSIONS.dynamo.runtimeImages.sglang,
    module: 'dynamo.sglang',
    workingDir: '/workspace/examples/backends/sglang',
    serviceNames: WORKER_SERVICE_NAMES.sglang,
    args: (o) => [
      '--model-path',
      o.model,
      '--served-model-name',
      o.servedModelName ?? o.model,
      '--tp-size',
      tp(o),
      '--page-size',
      '16',
      // The frontend tokenizes; the engine receives token ids.
      '--skip-tokenizer-init',
      ...(o.trustRemoteCode ? ['--trust-remote-code'] : []),
      ...(role(o) === 'aggregated'
        ? []
        : [
            '--disaggregation-mode',
            role(o),
            '--disaggregation-transfer-backend',
            'nixl',
            '--disaggregation-bootstrap-port',
            String(o.bootstrapPort ?? SGLANG_BOOTSTRAP_PORT),
            '--host',
            '0.0.0.0',
          ]),
      ...(o.kvEvents ? ['--kv-events-config', JSON.stringify({ publisher: 'zmq', topic: 'kv-events', endpoint: 'tcp://*:5557' })] : []),
    ],
  },
  trtllm: {
    backend: 'trtllm',
    image: VERSIONS.dynamo.runtimeImages.trtllm,
    module: 'dynamo.trtllm',
    workingDir: '/workspace',
    serviceNames: WORKER_SERVICE_NAMES.trtllm,
    // Tensor parallelism and trust_remote_code live in the engine configuration (see trtllmEngineConfig).
    args: (o) => [
      '--model-path',
      o.model,
      '--served-model-name',
      o.servedModelName ?? o.model,
      '--extra-engine-args',
      o.extraEngineArgs ?? `${TRTLLM_ENGINE_DIR}/${role(o)}.yaml`,
      ...(role(o) === 'aggregated' ? [] : ['--disaggregation-mode', role(o)]),
      ...(o.kvEvents ? ['--publish-events-and-metrics'] : []),
    ],
  },
};

/** The worker's command: `python3 -m dynamo.<backend>`. */
export const workerCommand = (backend: Backend): string[] => ['python3', '-m', RUNTIMES[backend].module];

export interface TrtllmEngineOptions {
  readonly role: WorkerRole;
  readonly tensorParallelSize: number;
  readonly trustRemoteCode?: boolean;
  /** Keys merged over the defaults (TRT-LLM's LLM API options, snake_case). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/**
 * A TRT-LLM engine configuration (the file `--extra-engine-args` names), with the values of upstream's Qwen3
 * examples: PyTorch backend, chunked prefill, 85% of free GPU memory for the KV cache; disaggregated workers add
 * the cache transceiver, and prefill workers turn the overlap scheduler off (unsupported there).
 */
export function trtllmEngineConfig(o: TrtllmEngineOptions): Record<string, unknown> {
  const disaggregated = o.role !== 'aggregated';
  return {
    backend: 'pytorch',
    tensor_parallel_size: o.tensorParallelSize,
    moe_expert_parallel_size: 1,
    enable_attention_dp: false,
    max_num_tokens: 8192,
    ...(o.role === 'aggregated' && { max_batch_size: 16 }),
    trust_remote_code: o.trustRemoteCode ?? false,
    enable_chunked_prefill: true,
    ...(disaggregated && { disable_overlap_scheduler: o.role === 'prefill' }),
    kv_cache_config: { free_gpu_memory_fraction: 0.85 },
    cuda_graph_config: { max_batch_size: 16 },
    ...(disaggregated && { cache_transceiver_config: { backend: 'DEFAULT' } }),
    ...o.overrides,
  };
}
