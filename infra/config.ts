import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { DeclaredCompute } from './hf/hf-endpoint-rollout';
import { PUBLISH_TYPES } from './extension/publish';

/** The Pulumi project name, which is also the namespace of every config key below. */
export const PROJECT = 'read-aloud';

/** The stacks, in promotion order; each has a file in stacks/. */
export const STACKS = ['staging', 'prod'];

interface SettingSpec<T extends z.ZodType> {
  schema: T;
  /** Pulumi passes scalars as strings and structured values as JSON. */
  json: boolean;
  example: string;
  description: string;
}

const text = <T extends z.ZodType>(schema: T, example: string, description: string) =>
  ({ schema, json: false, example, description }) satisfies SettingSpec<T>;
const json = <T extends z.ZodType>(schema: T, example: string, description: string) =>
  ({ schema, json: true, example, description }) satisfies SettingSpec<T>;

const refName = z.string().regex(/^[A-Za-z0-9._/*-]+$/, 'a git ref name or fnmatch pattern');
const githubId = z.number().int().positive();

/** Every non-secret setting a stack file holds: the one place their keys are named. */
export const SETTINGS = {
  githubRepository: text(
    z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/name'),
    'read-aloud/read-aloud',
    'the GitHub repository both stacks govern',
  ),
  environment: text(
    z.enum(['staging', 'production']),
    'staging',
    'the GitHub environment this stack owns and deploys through',
  ),
  protectedBranch: text(refName, 'develop', 'the branch whose rules this stack owns'),
  releaseTagPattern: text(
    refName.optional(),
    'v*',
    'the release tags whose rules this stack owns (prod only)',
  ),
  requiredApprovals: json(
    z.number().int().min(0).max(10),
    '1',
    'approving reviews a pull request needs (0 to 10)',
  ),
  deploymentRefs: json(
    z
      .object({ branches: z.array(refName).default([]), tags: z.array(refName).default([]) })
      .strict()
      .refine((refs) => refs.branches.length + refs.tags.length > 0, 'at least one branch or tag'),
    '{"branches": ["develop"]}',
    'the refs the environment accepts deployments from',
  ),
  environmentReviewers: json(
    z
      .object({ users: z.array(githubId).default([]), teams: z.array(githubId).default([]) })
      .strict()
      .optional(),
    '{"users": [1234567], "teams": []}',
    'GitHub user and team ids that must approve a deployment (`gh api users/NAME --jq .id`)',
  ),
  protect: json(z.boolean(), 'true', 'protect resources from accidental deletion'),
  supabaseProjectRef: text(
    z.string().regex(/^[a-z]{20}$/, 'twenty lower-case letters'),
    'abcdefghijklmnopqrst',
    'the Supabase project this stack deploys',
  ),
  hfEndpoint: text(
    z.string().regex(/^[A-Za-z0-9_.-]+\/[a-z0-9-]+$/, 'namespace/name'),
    'read-aloud/kokoro-staging',
    'the Hugging Face Inference Endpoint that serves speech',
  ),
  chromeExtensionId: text(
    z.string().regex(/^[a-p]{32}$/, 'thirty-two letters a to p'),
    'abcdefghijklmnopabcdefghijklmnop',
    'the Chrome Web Store item id',
  ),
  chromePublisherId: text(
    z.string().min(1),
    'my-publisher-id',
    'the Chrome Web Store publisher id (v2 API)',
  ),
  supabaseAuth: json(
    z
      .object({
        siteUrl: z.url(),
        redirectUrls: z.array(z.url()).default([]),
        jwtExpirySeconds: z.number().int().min(300).max(604800),
        signupsEnabled: z.boolean(),
        emailConfirmation: z.boolean(),
        rateLimits: z
          .object({
            emailSent: z.number().int().min(1),
            tokenRefresh: z.number().int().min(1),
            verify: z.number().int().min(1),
          })
          .strict(),
      })
      .strict(),
    '{"siteUrl": "https://read-aloud.app", "jwtExpirySeconds": 3600, "signupsEnabled": true, "emailConfirmation": true, "rateLimits": {"emailSent": 30, "tokenRefresh": 150, "verify": 30}}',
    'Supabase Auth settings; the extension callback URL is added to the redirect URLs',
  ),
  supabaseApi: json(
    z
      .object({
        schemas: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
        maxRows: z.number().int().min(1).max(1000000),
      })
      .strict(),
    '{"schemas": ["public"], "maxRows": 1000}',
    'the schemas the Supabase Data API exposes and its row limit',
  ),
  handlerImageRepository: text(
    z.string().regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/, 'registry/path, lower case, no tag'),
    'ghcr.io/read-aloud/kokoro-handler',
    'where the speech handler image is pushed (and the endpoint pulls it from)',
  ),
  registryUsername: text(
    z.string().min(1),
    'read-aloud-bot',
    'the user that pushes to that registry',
  ),
  speechHandler: json(
    z
      .object({
        defaultVoice: z
          .string()
          .regex(/^[ab][fm]_[a-z]+$/, 'a Kokoro English voice such as af_heart'),
        maxConcurrency: z.number().int().min(1),
        maxQueue: z.number().int().min(0),
        maxTextChars: z.number().int().min(1),
      })
      .strict(),
    '{"defaultVoice": "af_heart", "maxConcurrency": 1, "maxQueue": 8, "maxTextChars": 5000}',
    'how the speech handler serves requests',
  ),
  monitoring: json(
    z
      .object({
        defaultBranch: refName.default('develop'),
        healthSchedule: z
          .string()
          .regex(/^\S+( \S+){4}$/, 'a five-field cron schedule')
          .default('*/15 * * * *'),
        synthesisMs: z.number().int().min(1).default(10000),
        errorReportsPerHour: z.number().int().min(0).default(50),
        stripeGraceMinutes: z.number().int().min(1).default(30),
        page: z.boolean().default(false),
      })
      .strict()
      .default({
        defaultBranch: 'develop',
        healthSchedule: '*/15 * * * *',
        synthesisMs: 10000,
        errorReportsPerHour: 50,
        stripeGraceMinutes: 30,
        page: false,
      }),
    '{"healthSchedule": "*/15 * * * *", "errorReportsPerHour": 50, "page": true}',
    'drift and health checks: the default branch they run from, the health schedule, thresholds, and whether an issue pages',
  ),
  hfEndpointCompute: json(
    DeclaredCompute,
    '{"vendor": "aws", "region": "us-east-1", "accelerator": "cpu", "instanceType": "intel-spr", "instanceSize": "x2", "minReplica": 0, "maxReplica": 1, "scaleToZeroTimeout": 15}',
    'where and on what the speech endpoint runs, and how it scales (scaleToZeroTimeout in minutes, needed when minReplica is 0)',
  ),
  stagingMaxReplicas: json(
    z.number().int().min(1).optional(),
    '2',
    'the most replicas the policy lets an unprotected (staging) stack run',
  ),
  stripePlans: json(
    z.record(
      z.string().regex(/^[a-z][a-z0-9_]*$/, 'a plan key: lower case, digits and _'),
      z
        .object({
          name: z.string().min(1),
          amount: z.number().int().min(0),
          currency: z.string().regex(/^[a-z]{3}$/, 'a lower-case ISO currency code'),
          interval: z.enum(['month', 'year']),
          monthlyCharacters: z.number().int().min(1),
        })
        .strict(),
    ),
    '{"pro": {"name": "Read-aloud Pro", "amount": 900, "currency": "usd", "interval": "month", "monthlyCharacters": 1000000}}',
    'the plans sold through Stripe: price (smallest currency unit) and the monthly characters it buys',
  ),
  extensionRelease: json(
    z
      .object({
        publishType: z.enum(PUBLISH_TYPES),
        deployPercentage: z.number().int().min(1).max(100).optional(),
      })
      .strict()
      .refine(
        (r) => r.publishType !== 'UPLOAD_ONLY' || r.deployPercentage === undefined,
        'an upload that is not published has no deploy percentage',
      ),
    '{"publishType": "STAGED_PUBLISH", "deployPercentage": 10}',
    'how each new extension version goes out on the Chrome Web Store: STAGED_PUBLISH or DEFAULT_PUBLISH (optionally to a percentage of users, raised later by raising it here), or UPLOAD_ONLY',
  ),
} as const;

/** Every secret a stack needs, with the GitHub environment secret (if any) its value is written to. */
export const SECRETS = {
  pulumiBackendUrl: {
    githubSecret: 'PULUMI_BACKEND_URL',
    description: 'self-managed state backend URL (may embed credentials)',
  },
  pulumiConfigPassphrase: {
    githubSecret: 'PULUMI_CONFIG_PASSPHRASE',
    description: 'passphrase of the stack secrets provider',
  },
  repoAdminToken: {
    githubSecret: 'REPO_ADMIN_TOKEN',
    description: 'GitHub token with repository administration rights, used by the deploy',
  },
  supabaseAccessToken: {
    githubSecret: 'SUPABASE_ACCESS_TOKEN',
    description: 'Supabase Management API personal access token',
  },
  supabaseDbPassword: {
    githubSecret: 'SUPABASE_DB_PASSWORD',
    description: 'password of the Supabase database, for migrations',
  },
  hfToken: {
    githubSecret: 'HF_TOKEN',
    description: 'Hugging Face token that creates and updates the endpoint (the rollout only)',
  },
  hfInferenceToken: {
    githubSecret: undefined,
    description: 'Hugging Face token that can only call the endpoint (the tts function only)',
  },
  chromeClientId: {
    // The store credentials are read only by the release commands inside `pulumi up`.
    githubSecret: undefined,
    description: 'Chrome Web Store OAuth client id',
  },
  chromeClientSecret: {
    githubSecret: undefined,
    description: 'Chrome Web Store OAuth client secret',
  },
  chromeRefreshToken: {
    githubSecret: undefined,
    description: 'Chrome Web Store OAuth refresh token',
  },
  smokeUserEmail: {
    githubSecret: 'SMOKE_USER_EMAIL',
    description: 'email of the dedicated user the post-deploy smoke test signs in as',
  },
  smokeUserPassword: {
    githubSecret: 'SMOKE_USER_PASSWORD',
    description: 'password of the smoke-test user',
  },
  releaseToken: {
    githubSecret: 'RELEASE_TOKEN',
    description:
      'fine-grained GitHub token (contents, pull requests: write) that opens release PRs and tags releases; read by the release job of the stack that owns the release tags',
  },
  registryToken: {
    githubSecret: undefined,
    description: 'token that pushes the handler image (and lets the endpoint pull it)',
  },
  stripeApiKey: {
    // The health check reads the events and the webhook endpoint's status with it.
    githubSecret: 'STRIPE_API_KEY',
    description: 'Stripe secret API key that manages the webhook endpoint, products and prices',
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SecretKey = keyof typeof SECRETS;
export type StackSettings = {
  [K in SettingKey]: z.output<(typeof SETTINGS)[K]['schema']>;
};
export type StackSecrets = { [K in SecretKey]: pulumi.Output<string> };

export interface StackConfig {
  stack: string;
  settings: StackSettings;
  secrets: StackSecrets;
}

export const settingKeys = Object.keys(SETTINGS) as SettingKey[];
export const secretKeys = Object.keys(SECRETS) as SecretKey[];
export const fullKey = (key: string) => `${PROJECT}:${key}`;
export const stackFile = (stack: string) => `stacks/Pulumi.${stack}.yaml`;
export const setSecretCommand = (stack: string, key: SecretKey) =>
  `pulumi config set --secret ${fullKey(key)} --stack ${stack}`;

/** Why a secret is refused as a `--config` setting, and how to give it, for each stack in order. */
export const secretGivenAsSetting = (key: SecretKey, stacks: readonly string[]) =>
  `${fullKey(key)} is a secret, and --config takes only settings (a value there shows in shell ` +
  `history and the process list): give it in --secrets-file FILE for this run, or store it ` +
  `encrypted with ${stacks.map((stack) => `\`${setSecretCommand(stack, key)}\``).join(' and ')}`;

export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: string[],
  ) {
    super(
      `Invalid config for stack '${stackName}' (${stackFile(stackName)}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function decode(rawValue: string, isJson: boolean): unknown {
  if (!isJson) return rawValue;
  try {
    return JSON.parse(rawValue);
  } catch {
    return rawValue;
  }
}

/**
 * Validates a stack's raw config (`project:key` -> string, as Pulumi hands it to the program).
 * Every problem is reported at once; no value of a secret or an unknown key is ever echoed.
 */
export function parseStackConfig(stack: string, raw: Record<string, string>): StackSettings {
  const problems: string[] = [];
  const settings: Record<string, unknown> = {};
  for (const key of settingKeys) {
    const spec = SETTINGS[key];
    const rawValue = raw[fullKey(key)];
    const example = `\`${fullKey(key)}: ${spec.example}\``;
    const result = spec.schema.safeParse(
      rawValue === undefined ? undefined : decode(rawValue, spec.json),
    );
    if (result.success) {
      settings[key] = result.data;
    } else if (rawValue === undefined) {
      problems.push(`${fullKey(key)} is missing: ${spec.description}. Example: ${example}`);
    } else {
      const why = result.error.issues.map((i) => i.message).join('; ');
      problems.push(
        `${fullKey(key)} is invalid (${why}), got ${JSON.stringify(rawValue)}. Example: ${example}`,
      );
    }
  }
  for (const key of secretKeys) {
    if (raw[fullKey(key)] === undefined) {
      problems.push(
        `${fullKey(key)} is missing: ${SECRETS[key].description}. Set it with \`${setSecretCommand(stack, key)}\``,
      );
    }
  }
  const known = new Set<string>([...settingKeys, ...secretKeys].map(fullKey));
  for (const key of Object.keys(raw).sort()) {
    if (key.startsWith(`${PROJECT}:`) && !known.has(key)) {
      problems.push(
        `${key} is not a known setting (typo?); known keys are listed in infra/config.ts`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(stack, problems);
  return settings as StackSettings;
}

/** The validated config of the stack being deployed; secrets stay Pulumi secrets. */
export function loadStackConfig(): StackConfig {
  const stack = pulumi.getStack();
  const settings = parseStackConfig(stack, pulumi.runtime.allConfig());
  const config = new pulumi.Config(PROJECT);
  const secrets = Object.fromEntries(
    secretKeys.map((key) => [key, config.requireSecret(key)]),
  ) as StackSecrets;
  return { stack, settings, secrets };
}
