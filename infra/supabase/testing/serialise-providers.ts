import * as pulumi from '@pulumi/pulumi';
import { ProjectApiKey } from '../api-key';
import { FunctionSecrets } from '../function-secrets';
import { ProjectSettings } from '../project-settings';

// Prints each dynamic provider as Pulumi serialises it; run under tsx, the loader `pulumi up` uses.
async function main(): Promise<void> {
  const serialised: Record<string, string> = {};
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        serialised[args.name] = args.inputs.__provider as string;
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    'read-aloud',
    'staging',
  );
  const target = {
    projectRef: 'unused',
    apiUrl: 'http://unused',
    accessToken: pulumi.secret('unused'),
  };
  const resources = [
    new FunctionSecrets('secrets', { ...target, values: { A: pulumi.secret('unused') } }),
    new ProjectSettings('settings', { ...target, auth: {}, postgrest: {} }),
    new ProjectApiKey('api-key', { ...target, keyName: 'anon' }),
  ];
  await new Promise((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(resolve));
  process.stdout.write(JSON.stringify(serialised));
}

void main();
