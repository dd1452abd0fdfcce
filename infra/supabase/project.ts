import * as command from '@pulumi/command';
import { commandOptions } from '../command-options';
import * as pulumi from '@pulumi/pulumi';
import type { StackSettings } from '../config';
import { ProjectApiKey } from './api-key';
import { databaseUrl, FUNCTIONS_COMMAND, MIGRATIONS_COMMAND, recordedVersions } from './commands';
import { functionsHash, migrationsHash } from './deploy-hashes';
import { FunctionSecrets } from './function-secrets';
import { ProjectSettings } from './project-settings';
import { PLAN_PRICES_COMMAND, type PlanPrices } from './seed-plan-prices';

export const MANAGEMENT_API_URL = 'https://api.supabase.com';

/** A hosted project's URL: known from its ref alone, so other vendors can take it before the project is built. */
export const projectUrl = (projectRef: string) => `https://${projectRef}.supabase.co`;
export const functionUrl = (projectRef: string, name: string) =>
  `${projectUrl(projectRef)}/functions/v1/${name}`;

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
  /** The Stripe plans' current prices, written to public.plan_prices after the migrations. */
  planPrices: pulumi.Input<PlanPrices>;
  /** The repository's supabase/ folder, whose content the deploys hash. */
  supabaseDir: string;
}

/** One Supabase project brought to the declared state: settings, secrets, schema, functions. */
export class SupabaseProject extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  /** The publishable anon key, read from the project: what the extension ships with. */
  readonly anonKey: pulumi.Output<string>;
  /** Each function's version right after the last deploy: drift compares the live ones with it. */
  readonly functionVersions: pulumi.Output<Record<string, number>>;

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

    const dbUrl = pulumi.secret(
      args.dbPassword.apply((password) => databaseUrl(args.projectRef, password)),
    );
    const migrations = new command.local.Command(
      'migrations',
      {
        create: MIGRATIONS_COMMAND,
        environment: { SUPABASE_DB_URL: dbUrl },
        triggers: [migrationsHash(args.supabaseDir)],
      },
      commandOptions(child),
    );

    const functions = new command.local.Command(
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
      commandOptions({ ...child, dependsOn: [secrets, migrations] }),
    );

    const planPrices = pulumi.output(args.planPrices).apply((rows) => JSON.stringify(rows));
    new command.local.Command(
      'plan-prices',
      {
        create: PLAN_PRICES_COMMAND,
        environment: { SUPABASE_DB_URL: dbUrl, PLAN_PRICES: planPrices },
        // New price ids or quotas re-run it; nothing else does.
        triggers: [planPrices],
      },
      commandOptions({ ...child, dependsOn: [migrations] }),
    );

    this.url = pulumi.output(projectUrl(args.projectRef));
    this.anonKey = new ProjectApiKey('anon-key', { ...target, keyName: 'anon' }, child).apiKey;
    this.functionVersions = functions.stdout.apply(recordedVersions);
    this.registerOutputs({
      url: this.url,
      anonKey: this.anonKey,
      functionVersions: this.functionVersions,
    });
  }
}
