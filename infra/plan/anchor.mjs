// The plan bench's anchor: a bare program on the same Pulumi SDK, declaring N resources under the
// same in-process mocks as the plan, so the plan's wall time can be read against it.
import pulumi from '@pulumi/pulumi';

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 1) throw new Error('usage: node anchor.mjs RESOURCE_COUNT');

await pulumi.runtime.setMocks(
  {
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => args.inputs,
  },
  'anchor',
  'bench',
  false,
);
const resources = Array.from(
  { length: count },
  (_, i) => new pulumi.CustomResource('anchor:index:Thing', `thing-${i}`, { index: i }),
);
await new Promise((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(resolve));
