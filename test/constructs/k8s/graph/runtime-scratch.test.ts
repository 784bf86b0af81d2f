/**
 * Mount-path uniqueness is judged on the path as the kernel sees it: every spelling of one place (`//`, `.` segments,
 * a trailing slash) collides with the construct's mount there, and a different place never does.
 */
import { describe, expect, it } from 'vitest';
import { mountPathProblems, runtimeScratch } from '../../../../constructs/k8s/graph/runtime-scratch.js';

const pod = { mainContainer: { volumeMounts: runtimeScratch().mounts } };
const claimAt = (mountPoint: string) => [{ name: 'cc', mountPoint, useAsCompilationCache: true }];

describe('mountPathProblems', () => {
  it.each(['/tmp', '/tmp/', '//tmp', '/tmp//', '/tmp/.', '/./tmp', '/tmp/./', '///tmp/./.'])('%s is /tmp', (path) => {
    const problems = mountPathProblems('workers[0]', claimAt(path), pod, { sshKeys: false });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('mount path "/tmp" is used by volume "runtime-tmp" and the compilation cache claim "cc" (mountPoint)');
  });

  it.each(['/tmpx', '/tmp/x', '/tm', '/opt/cache/', '/home/dynamo/.cache', '/home/dynamo/..'])('%s is another place', (path) => {
    expect(mountPathProblems('workers[0]', claimAt(path), pod, { sshKeys: false })).toEqual([]);
  });

  it('an empty mount path is the root, as before the fast path', () => {
    const root = { mainContainer: { volumeMounts: [{ name: 'a', mountPath: '' }, { name: 'b', mountPath: '/' }] } };
    expect(mountPathProblems('w', [], root, { sshKeys: false })[0]).toContain('mount path "/" is used by volume "a" and volume "b"');
  });

  it("the operator's mounts count: /dev/shm always, /ssh-pk on multinode TRT-LLM only", () => {
    expect(mountPathProblems('w', claimAt('/dev/shm/'), pod, { sshKeys: false })).toHaveLength(1);
    expect(mountPathProblems('w', claimAt('/ssh-pk'), pod, { sshKeys: false })).toEqual([]);
    expect(mountPathProblems('w', claimAt('/ssh-pk'), pod, { sshKeys: true })[0]).toContain("the operator's SSH keys (multinode TRT-LLM)");
  });
});
