/**
 * The driver-path wrapper: a POSIX shell runs it (dash or bash, as /bin/sh in the images); it must pass every
 * argument through as one word, whatever it contains, and extend the image's paths instead of replacing them.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { operatorKeepsCommand, withDriverPaths } from '../../../../constructs/k8s/graph/driver-paths.js';

const PATHS = { binDirs: ['/usr/local/nvidia/bin'], libraryDirs: ['/usr/local/nvidia/lib64'] };

describe('withDriverPaths', () => {
  it('arguments with quotes, spaces, JSON, globs and $ reach the program unchanged', () => {
    const args = ['{"publisher":"zmq","endpoint":"tcp://*:5557"}', "it's", 'two words', '$HOME', '*', '', '--flag=a;b|c&d'];
    // printf is the program: prints each argument on its own line between markers.
    const w = withDriverPaths(['printf', '<%s>\\n'], args, PATHS, true);
    expect(w.command).toEqual(['/bin/sh', '-c']);
    const out = execFileSync(w.command[0]!, [...w.command.slice(1), ...w.args], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    expect(out).toBe(args.map((a) => `<${a}>\n`).join(''));
  });

  it('keeps the image paths first and appends the driver directories', () => {
    const w = withDriverPaths(['sh', '-c', 'echo "$PATH|$LD_LIBRARY_PATH"'], [], PATHS, true);
    const out = execFileSync(w.command[0]!, [...w.command.slice(1), ...w.args], { encoding: 'utf8', env: { PATH: '/opt/dynamo/venv/bin:/usr/bin:/bin', LD_LIBRARY_PATH: '/opt/nixl' } });
    expect(out.trim()).toBe('/opt/dynamo/venv/bin:/usr/bin:/bin:/usr/local/nvidia/bin|/opt/nixl:/usr/local/nvidia/lib64');
  });

  it('without driver directories, or where the operator replaces the command, the command stays as given', () => {
    expect(withDriverPaths(['python3', '-m', 'dynamo.vllm'], ['--model', 'm'], undefined, true)).toEqual({ command: ['python3', '-m', 'dynamo.vllm'], args: ['--model', 'm'] });
    expect(withDriverPaths(['python3', '-m', 'dynamo.vllm'], ['--model', 'm'], PATHS, false)).toEqual({ command: ['python3', '-m', 'dynamo.vllm'], args: ['--model', 'm'] });
  });

  it('the operator keeps the command of single-node workers and of multinode SGLang only (0.9.0 backend_*.go)', () => {
    expect((['vllm', 'sglang', 'trtllm'] as const).map((b) => [operatorKeepsCommand(b, false), operatorKeepsCommand(b, true)])).toEqual([
      [true, false],
      [true, true],
      [true, false],
    ]);
  });
});
