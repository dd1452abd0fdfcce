import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import type { StackSettings } from '../config';
import { ProjectApiKey } from './api-key';
import { databaseUrl, FUNCTIONS_COMMAND, MIGRATIONS_COMMAND } from './commands';
import { functionsHash, migrationsHash } from './deploy-hashes';
import { FunctionSecrets } from './function-secrets';
import { ProjectSettings } from './project-settings';

export const MANAGEMENT_API_URL = 'https://api.supabase.com';

export interface SupabaseProjectArgs {
  projectRef: string;
  managementApiUrl: string;
  accessToken: pulumi.Output<string>;
  dbPassword: pulumi.Output<string>;
  auth: StackSettings['supabaseAuth'];
  api: StackSettings['supabaseApi'];
  /** The extension's OAuth callback must be an allowed redirect. */
  extensionId: string;
  /** What the edge functions read besides Supabase's defaults. */
  functionSecrets: Record<string, pulumi.Input<string>>;
  /** The repository's supabase/ folder, whose content the deploys hash. */
  supabaseDir: string;
}

/** One Supabase project brought to the declared state: settings, secrets, schema, functions. */
export class SupabaseProject extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  /** The publishable anon key, read from the project: what the extension ships with. */
  readonly anonKey: pulumi.Output<string>;

  constructor(name: string, args: SupabaseProjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super('read-aloud:supabase:SupabaseProject', name, {}, opts);
    const child = { parent: this };
    const target = {
      projectRef: args.projectRef,
      apiUrl: args.managementApiUrl,
      accessToken: args.accessToken,
    };
    const { auth } = args;

    new ProjectSettings(
      'settings',
      {
        ...target,
        auth: {
          site_url: auth.siteUrl,
          uri_allow_list: [
            ...auth.redirectUrls,
            `https://${args.extensionId}.chromiumapp.org/`,
          ].join(','),
          jwt_exp: auth.jwtExpirySeconds,
          disable_signup: !auth.signupsEnabled,
          mailer_autoconfirm: !auth.emailConfirmation,
          rate_limit_email_sent: auth.rateLimits.emailSent,
          rate_limit_token_refresh: auth.rateLimits.tokenRefresh,
          rate_limit_verify: auth.rateLimits.verify,
        },
        postgrest: { db_schema: args.api.schemas.join(','), max_rows: args.api.maxRows },
      },
      child,
    );

    const secrets = new FunctionSecrets(
      'function-secrets',
      {
        ...target,
        values: Object.fromEntries(
          Object.entries(args.functionSecrets).map(([key, value]) => [key, pulumi.secret(value)]),
        ),
      },
      child,
    );

    const migrations = new command.local.Command(
      'migrations',
      {
        create: MIGRATIONS_COMMAND,
        environment: {
          SUPABASE_DB_URL: pulumi.secret(
            args.dbPassword.apply((password) => databaseUrl(args.projectRef, password)),
          ),
        },
        triggers: [migrationsHash(args.supabaseDir)],
      },
      child,
    );

    new command.local.Command(
      'functions',
      {
        create: FUNCTIONS_COMMAND,
        environment: {
          SUPABASE_ACCESS_TOKEN: args.accessToken,
          SUPABASE_PROJECT_REF: args.projectRef,
        },
        triggers: [functionsHash(args.supabaseDir)],
      },
      // Functions go out only once what they read (secrets, schema) is in place.
      { ...child, dependsOn: [secrets, migrations] },
    );

    this.url = pulumi.output(`https://${args.projectRef}.supabase.co`);
    this.anonKey = new ProjectApiKey('anon-key', { ...target, keyName: 'anon' }, child).apiKey;
    this.registerOutputs({ url: this.url, anonKey: this.anonKey });
  }
}
