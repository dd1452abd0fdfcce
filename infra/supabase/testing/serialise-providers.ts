import * as pulumi from '@pulumi/pulumi';
import { printSerialisedProviders } from '../../testing/serialise-providers';
import { ProjectApiKey } from '../api-key';
import { FunctionSecrets } from '../function-secrets';
import { ProjectSettings } from '../project-settings';

// Prints each Supabase provider as Pulumi serialises it.
void printSerialisedProviders(() => {
  const target = {
    projectRef: 'unused',
    apiUrl: 'http://unused',
    accessToken: pulumi.secret('unused'),
  };
  return [
    new FunctionSecrets('secrets', { ...target, values: { A: pulumi.secret('unused') } }),
    new ProjectSettings('settings', { ...target, auth: {}, postgrest: {} }),
    new ProjectApiKey('api-key', { ...target, keyName: 'anon' }),
  ];
});
