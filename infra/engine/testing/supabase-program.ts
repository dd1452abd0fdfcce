// A Pulumi program of the stacks' Supabase components, which the engine tests run under the real
// CLI against a fake Management API. The whole program cannot run yet: its command, GitHub and
// Docker Build resources need provider plugins that the Go module proxy refuses.
import * as pulumi from '@pulumi/pulumi';
import { FunctionSecrets } from '../../supabase/function-secrets';
import { ProjectSettings } from '../../supabase/project-settings';

const config = new pulumi.Config();
// As the stacks do with read-aloud:protect: prod's resources refuse deletion.
const options = { protect: config.getBoolean('protect') ?? false };
const target = {
  projectRef: config.require('projectRef'),
  apiUrl: config.require('apiUrl'),
  accessToken: config.requireSecret('accessToken'),
};

new ProjectSettings(
  'settings',
  {
    ...target,
    auth: { site_url: config.require('siteUrl'), jwt_exp: 3600 },
    postgrest: { db_schema: 'public', max_rows: 500 },
  },
  options,
);

new FunctionSecrets(
  'function-secrets',
  {
    ...target,
    values: { HF_TOKEN: config.requireSecret('hfToken') },
  },
  options,
);
