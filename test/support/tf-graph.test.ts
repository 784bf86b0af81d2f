import { describe, expect, it } from 'vitest';
import { TfGraph } from './tf-graph.js';
/** The test helper's reference finder, which the cloud stacks' checks rely on. */
describe('TfGraph', () => {
  it('undeclared references: directives, for-bound names, escapes', () => {
    const g = new TfGraph({
      resource: { aws_vpc: { a: { x: '${[for sub_net in aws_subnet.s : sub_net.id]}', y: '%{ for k, v_x in aws_route.r }${v_x.id}%{ endfor }', z: '$${aws_x.lit} %%{ aws_y.lit }', w: '${each.value} ${path.module} ${terraform.workspace}' } } },
      output: { o: { value: '${aws_vpc.a.id} ${data.aws_ami.missing.id}' } },
    });
    expect(g.undeclaredReferences()).toEqual(['aws_route.r', 'aws_subnet.s', 'data.aws_ami.missing']);
  });
});
