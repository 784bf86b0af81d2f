/**
 * The `dynamo-iac` command line: the commands of COMMANDS, and `--help`. Pure over its inputs (the
 * kubectl runner, the environment, the output streams), so tests drive it with recorded cluster answers.
 */
import { parseArgs } from 'node:util';
import { synthK8sTarget } from '../charts/synth.js';
import { SpecError } from '../spec/errors.js';
import { loadSpecs } from '../spec/load.js';
import { type Spec, TARGETS, type Target } from '../spec/schema.js';
import { parseAllDocuments } from 'yaml';
import { mirrorList, rewriteImage } from '../spec/images.js';
import { imageString, VERSIONS } from '../spec/versions.js';
import { benchmarkResources, hfTokenCommand } from './benchmark.js';
import { checkGraphs, gpuInventory, renderInventory } from './gpu-inventory.js';
import { kube, ToolError } from './kubectl.js';
import { diffCommand } from './diff.js';
import { faultTestCommand, faultTestHelp, type FaultTestIo } from './fault-test.js';
import { failed, preflight, renderChecks, storageNeeds } from './preflight.js';
import { teardownPlan } from './teardown.js';
import { upgradePlan } from './upgrade.js';
import { verify } from './verify.js';

/** The I/O of every command: fault-test's (its kubectl while requests run, port-forward, clock, Ctrl-C), and a sleep. */
export interface CliIo extends FaultTestIo {
  /** Sleep between polls (tests pass a no-op). */
  readonly sleep?: (ms: number) => void;
}

/** Every command: its arguments, a one-line description and its options. The usage text is rendered from this. */
export const COMMANDS = {
  preflight: { args: '', summary: 'check the current kubectl context for a target', options: '[--target T] [--json]' },
  'gpu-inventory': { args: '', summary: 'GPUs per node and the largest node', options: '[--json] [--enrich] [--check-graphs] [--target T]' },
  'benchmark-resources': { args: '', summary: 'benchmark claim and access pod as YAML', options: '[--target T] [--size 50Gi]' },
  verify: { args: '', summary: "the seeds' checklist after a deployment", options: '[--target T] [--json]' },
  diff: { args: 'OLD NEW', summary: 'compare two dist folders or two spec files', options: '[--target T] [--json]   (exit 2: a breaking change)' },
  'upgrade-plan': { args: '', summary: 'the ordered upgrade runbook (backups first)', options: '[--target T]' },
  'teardown-plan': { args: '', summary: 'the commands that remove everything, in order', options: '[--target T]' },
  images: { args: '', summary: 'the mirror copy list: source and destination', options: '[--target T] [--registry R] [--json]' },
  'fault-test': { args: 'GRAPH', summary: "delete a pod under load; the seeds' fault-tolerance SLA", options: '[--delete worker|frontend] [--json] ...   (exit 2: outside the SLA; fault-test --help)' },
} as const satisfies Record<string, { args: string; summary: string; options: string }>;
export type CommandName = keyof typeof COMMANDS;

const isCommand = (name: string | undefined): name is CommandName => name !== undefined && Object.hasOwn(COMMANDS, name);

export const USAGE = [
  'usage: dynamo-iac <command> [options]',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${`${name} ${c.args}`.trim().padEnd(21)} ${c.summary.padEnd(51)} ${c.options}`),
  `targets: ${TARGETS.join(', ')} (default: DYNAMO_IAC_TARGET or local); the spec comes from DYNAMO_IAC_CONFIG`,
  'dynamo-iac --help (or -h, or no argument) prints this',
].join('\n');

const HELP = new Set(['--help', '-h', 'help']);

/**
 * Runs one command; returns the exit code: 0 ok, 1 a check failed, 2 usage or tool error. `diff` and `fault-test`
 * differ: 2 means a breaking change or a run outside the SLA, so their usage and input errors are 1. `fault-test`
 * is the one asynchronous command: its exit code comes as a Promise.
 */
export function runCli(argv: readonly string[], io: CliIo): number | Promise<number> {
  const [command, ...rest] = argv;
  // Asking for help (alone or after a command) is not an error: the usage goes to stdout and the exit code is 0.
  if (command === undefined || HELP.has(command) || (isCommand(command) && rest.some((a) => a === '--help' || a === '-h'))) {
    io.out(command === 'fault-test' ? faultTestHelp() : USAGE);
    return 0;
  }
  if (!isCommand(command)) {
    io.err(`unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  // Its own options and exit codes (see tools/fault-test.ts).
  if (command === 'fault-test') return faultTestCommand(rest, io);
  const usageError = command === 'diff' ? 1 : 2;
  let positionals: string[] = [];
  let values: { target?: string; json?: boolean; enrich?: boolean; 'check-graphs'?: boolean; size?: string; registry?: string };
  try {
    ({ values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: command === 'diff',
      options: { target: { type: 'string' }, json: { type: 'boolean' }, enrich: { type: 'boolean' }, 'check-graphs': { type: 'boolean' }, size: { type: 'string' }, registry: { type: 'string' } },
    }));
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}`);
    return usageError;
  }
  const target = (values.target ?? io.env['DYNAMO_IAC_TARGET'] ?? 'local') as Target;
  if (!TARGETS.includes(target)) {
    io.err(`--target: must be one of ${TARGETS.join(', ')}, got "${target}"`);
    return usageError;
  }
  const progress = (line: string) => {
    if (!values.json) io.err(line);
  };
  try {
    // Loaded on first use (not every command needs it) and once: reading and validating the file is the slow part.
    let loaded: Spec | undefined;
    const spec = (): Spec => (loaded ??= loadSpecs(io.env)[target]);
    switch (command) {
      case 'preflight': {
        const s = spec();
        const objects = synthK8sTarget(s).flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as { kind: string; spec?: unknown; metadata: { name: string } }));
        const checks = preflight(kube(io.runner, progress), s, storageNeeds(s, objects));
        io.out(values.json ? JSON.stringify({ target, checks }, null, 2) : renderChecks(checks));
        return failed(checks) ? 1 : 0;
      }
      case 'gpu-inventory': {
        // The spec (mirror registry, pull Secrets) matters only to the nvidia-smi pods of --enrich.
        const s = values.enrich ? spec() : undefined;
        const images = s?.platform.images;
        const inv = gpuInventory(kube(io.runner, progress), {
          enrich: values.enrich ?? false,
          ...(io.sleep && { sleep: io.sleep }),
          ...(images?.registry && { image: rewriteImage(imageString(VERSIONS.tools.cudaBase), images.registry) }),
          // Pull Secrets are namespaced: the pod runs where the spec's Secrets live (the workloads namespace).
          ...(images?.pullSecrets.length && { pullSecrets: images.pullSecrets, namespace: s!.workloads.namespace }),
        });
        const problems = values['check-graphs'] ? checkGraphs(inv, spec().graphs) : [];
        io.out(values.json ? JSON.stringify({ ...inv, ...(values['check-graphs'] && { graphProblems: problems }) }, null, 2) : [renderInventory(inv), ...problems.map((p) => `FAIL ${p}`)].join('\n'));
        return problems.length ? 1 : 0;
      }
      case 'benchmark-resources': {
        const s = spec();
        io.out(benchmarkResources(s, { ...(values.size && { size: values.size }) }));
        io.err(`# the Hugging Face token, from your environment:\n${hfTokenCommand(s)}`);
        return 0;
      }
      case 'verify': {
        const checks = verify(kube(io.runner, progress), spec());
        io.out(values.json ? JSON.stringify({ target, checks }, null, 2) : renderChecks(checks));
        return failed(checks) ? 1 : 0;
      }
      case 'diff': {
        if (positionals.length !== 2) {
          io.err(`diff needs two arguments: OLD NEW (dist folders or spec files)\n${USAGE}`);
          return 1;
        }
        const [oldArg, newArg] = positionals as [string, string];
        return diffCommand(oldArg, newArg, { ...(values.target && { target }), ...(values.json && { json: true }) }, { out: io.out, err: io.err, env: io.env });
      }
      case 'upgrade-plan':
        io.out(upgradePlan(spec()));
        return 0;
      case 'teardown-plan':
        io.out(teardownPlan(spec()));
        return 0;
      case 'images': {
        const s = spec();
        const registry = values.registry ?? s.platform.images.registry;
        const rows = mirrorList(registry ?? '$REGISTRY', s.target);
        if (values.json) io.out(JSON.stringify({ target, registry: registry ?? null, images: rows }, null, 2));
        else io.out(rows.map((r) => `${r.source} ${r.destination}`).join('\n'));
        if (!registry) {
          io.err(
            s.target === 'local'
              ? '# no registry: pass --registry or set platform.images.registry'
              : `# no registry: the stack's is dynamo-iac images --target ${s.target} --registry "$(terraform -chdir=cdktf.out/stacks/${s.target} output -raw image_registry)"`,
          );
        }
        io.err('# copy each line with: while read src dst; do skopeo copy --all "docker://$src" "docker://$dst"; done');
        return 0;
      }
      default:
        return unreachable(command);
    }
  } catch (e) {
    if (e instanceof ToolError) {
      io.err(`dynamo-iac ${command}: ${e.message}`);
      return 2;
    }
    if (e instanceof SpecError) {
      io.err(e.message);
      return 2;
    }
    throw e;
  }
}

/** Every command of COMMANDS has a case above: a new one without a case does not compile. */
function unreachable(command: never): never {
  throw new Error(`dynamo-iac: no handler for command ${String(command)}`);
}
