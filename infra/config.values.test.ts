import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  fullKey,
  parseStackConfig,
  SECRETS,
  secretKeys,
  SETTINGS,
  settingKeys,
  STACKS,
  type SettingKey,
} from './config';
import { STAGING_COMPUTE } from './hf/testing/compute';
import { repoRoot } from './paths';
import { readStackFile } from './plan/stack-file';

const withSecrets = (values: Record<string, string>) => ({
  ...values,
  ...Object.fromEntries(secretKeys.map((key) => [fullKey(key), 'unused'])),
});
const staging = () => withSecrets(readStackFile('staging').values);

function problemsWith(key: SettingKey, rawValue: string | undefined): string[] {
  const raw = staging();
  if (rawValue === undefined) delete raw[fullKey(key)];
  else raw[fullKey(key)] = rawValue;
  try {
    parseStackConfig('staging', raw);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

const json = (value: unknown) => JSON.stringify(value);
const compute = STAGING_COMPUTE;
const plan = {
  name: 'Pro',
  amount: 900,
  currency: 'usd',
  interval: 'month',
  monthlyCharacters: 1000,
};

const auth = {
  siteUrl: 'https://read-aloud.app',
  jwtExpirySeconds: 3600,
  signupsEnabled: true,
  emailConfirmation: true,
  rateLimits: { emailSent: 1, tokenRefresh: 1, verify: 1 },
};
const handler = { defaultVoice: 'af_heart', maxConcurrency: 1, maxQueue: 0, maxTextChars: 1 };

// Each setting, values just inside and just outside what it accepts.
const cases: [SettingKey, string[], string[]][] = [
  [
    'githubRepository',
    ['o/n', 'Read_Aloud.x-1/repo.name_2'],
    ['owner', 'owner/', '/name', 'o/n/x', 'o n/name', 'owner/na me', ' o/n', 'o/n '],
  ],
  ['environment', ['staging', 'production'], ['prod', 'Staging']],
  ['protectedBranch', ['main', 'release/*', 'v1.2-rc_3'], ['', 'a b', 'a~b', ' main', 'main ']],
  ['releaseTagPattern', ['v*'], ['', 'v *', 'v^1']],
  ['requiredApprovals', ['0', '10'], ['11', '-1', '1.5', '"1"', 'two']],
  [
    'deploymentRefs',
    [json({ tags: ['v*'] }), json({ branches: ['develop'], tags: [] })],
    [
      json({ branches: [], tags: [] }),
      json({}),
      json({ branches: ['a b'] }),
      json({ branches: ['x'], other: [] }),
    ],
  ],
  [
    'environmentReviewers',
    [json({ users: [1] }), json({ teams: [2] })],
    [json({ users: [0] }), json({ users: [1.5] }), json({ users: [], groups: [] })],
  ],
  ['protect', ['true', 'false'], ['yes', '1']],
  [
    'supabaseProjectRef',
    ['abcdefghijklmnopqrst'],
    [
      'abcdefghijklmnopqrs',
      'abcdefghijklmnopqrstu',
      'Abcdefghijklmnopqrst',
      'abcdefghijklmnopqrs1',
    ],
  ],
  [
    'hfEndpoint',
    ['Read_Aloud.x-1/kokoro-2'],
    ['kokoro', 'ns/Kokoro', 'ns/kokoro_2', 'ns/a/b', 'n s/kokoro', 'ns/kokoro ', ' ns/kokoro'],
  ],
  [
    'chromeExtensionId',
    ['abcdefghijklmnopabcdefghijklmnop'],
    [
      'abcdefghijklmnopabcdefghijklmno',
      'abcdefghijklmnopabcdefghijklmnopa',
      'qbcdefghijklmnopabcdefghijklmnop',
      'Abcdefghijklmnopabcdefghijklmnop',
    ],
  ],
  ['chromePublisherId', ['p', '12345'], ['']],
  [
    'supabaseAuth',
    [
      json(auth),
      json({ ...auth, jwtExpirySeconds: 300 }),
      json({ ...auth, jwtExpirySeconds: 604800 }),
    ],
    [
      json({ ...auth, siteUrl: 'not a url' }),
      json({ ...auth, redirectUrls: ['not a url'] }),
      json({ ...auth, jwtExpirySeconds: 299 }),
      json({ ...auth, jwtExpirySeconds: 604801 }),
      json({ ...auth, jwtExpirySeconds: 3600.5 }),
      json({ ...auth, rateLimits: { ...auth.rateLimits, emailSent: 0 } }),
      json({ ...auth, rateLimits: { ...auth.rateLimits, tokenRefresh: 0 } }),
      json({ ...auth, rateLimits: { ...auth.rateLimits, verify: 0 } }),
      json({ ...auth, rateLimits: { ...auth.rateLimits, extra: 1 } }),
      json({ ...auth, extra: 1 }),
    ],
  ],
  [
    'supabaseApi',
    [
      json({ schemas: ['public', 'api_2'], maxRows: 1 }),
      json({ schemas: ['_x'], maxRows: 1000000 }),
    ],
    [
      json({ schemas: [], maxRows: 1 }),
      json({ schemas: ['Public'], maxRows: 1 }),
      json({ schemas: ['1api'], maxRows: 1 }),
      json({ schemas: ['pub lic'], maxRows: 1 }),
      json({ schemas: [' public'], maxRows: 1 }),
      json({ schemas: ['public '], maxRows: 1 }),
      json({ schemas: ['public'], maxRows: 0 }),
      json({ schemas: ['public'], maxRows: 1000001 }),
      json({ schemas: ['public'], maxRows: 1, extra: 1 }),
    ],
  ],
  [
    'handlerImageRepository',
    ['ghcr.io/read-aloud/kokoro-handler', 'localhost:5000/a_b.c'],
    [
      'ghcr.io',
      'ghcr.io/a/b:tag',
      'GHCR.io/a',
      'ghcr.io/A',
      'host:port/a',
      ' ghcr.io/a',
      'ghcr.io/a ',
    ],
  ],
  ['registryUsername', ['u'], ['']],
  [
    'speechHandler',
    [json(handler), json({ ...handler, defaultVoice: 'bm_george' })],
    [
      json({ ...handler, defaultVoice: 'cf_heart' }),
      json({ ...handler, defaultVoice: 'ax_heart' }),
      json({ ...handler, defaultVoice: 'af_Heart' }),
      json({ ...handler, defaultVoice: 'af_' }),
      json({ ...handler, defaultVoice: 'af_heart2' }),
      json({ ...handler, defaultVoice: ' af_heart' }),
      json({ ...handler, maxConcurrency: 0 }),
      json({ ...handler, maxQueue: -1 }),
      json({ ...handler, maxTextChars: 0 }),
      json({ ...handler, extra: 1 }),
    ],
  ],
  [
    'monitoring',
    [
      json({}),
      json({ healthSchedule: '0 * * * *', errorReportsPerHour: 0, page: true }),
      json({ defaultBranch: 'main', synthesisMs: 1, stripeGraceMinutes: 1 }),
    ],
    [
      json({ healthSchedule: '*/15 * * *' }),
      json({ healthSchedule: '@hourly' }),
      json({ defaultBranch: 'a branch' }),
      json({ synthesisMs: 0 }),
      json({ errorReportsPerHour: -1 }),
      json({ stripeGraceMinutes: 0 }),
      json({ page: 'yes' }),
      json({ extra: 1 }),
    ],
  ],
  [
    'hfEndpointCompute',
    [json(compute), json({ ...compute, minReplica: 1, scaleToZeroTimeout: undefined })],
    [
      json({ ...compute, minReplica: 2, maxReplica: 1 }),
      json({ ...compute, scaleToZeroTimeout: undefined }),
      json({ ...compute, accelerator: 'tpu' }),
      json({ ...compute, maxReplica: 0 }),
      json({ ...compute, extra: 1 }),
    ],
  ],
  ['stagingMaxReplicas', ['2'], ['0', '1.5', '"two"']],
  [
    'stripePlans',
    [json({ pro: plan }), json({ pro: plan, team_2: { ...plan, interval: 'year' } })],
    [
      json({ Pro: plan }),
      json({ pro: { ...plan, amount: 9.99 } }),
      json({ pro: { ...plan, currency: 'USD' } }),
      json({ pro: { ...plan, interval: 'week' } }),
      json({ pro: { ...plan, monthlyCharacters: 0 } }),
    ],
  ],
  [
    'extensionRelease',
    [
      json({ publishType: 'STAGED_PUBLISH', deployPercentage: 10 }),
      json({ publishType: 'DEFAULT_PUBLISH' }),
      json({ publishType: 'DEFAULT_PUBLISH', deployPercentage: 100 }),
      json({ publishType: 'UPLOAD_ONLY' }),
    ],
    [
      json({ publishType: 'UPLOAD_ONLY', deployPercentage: 10 }),
      json({ publishType: 'STAGED_PUBLISH', deployPercentage: 0 }),
      json({ publishType: 'STAGED_PUBLISH', deployPercentage: 101 }),
      json({ publishType: 'STAGED_PUBLISH', deployPercentage: 2.5 }),
      json({ publishType: 'default' }),
      json({ publishType: 'DEFAULT_PUBLISH', extra: 1 }),
    ],
  ],
];

describe('each setting', () => {
  it('has a case here', () => {
    expect(cases.map(([key]) => key).sort()).toEqual([...settingKeys].sort());
  });

  for (const [key, accepted, rejected] of cases) {
    it(`${key} accepts what it should`, () => {
      for (const value of accepted) expect(problemsWith(key, value), value).toEqual([]);
    });

    it(`${key} rejects, naming itself, what it should not`, () => {
      for (const value of rejected) {
        expect(problemsWith(key, value), value).toEqual([
          expect.stringMatching(new RegExp(`^${fullKey(key)} is invalid \\(.+\\), got `)),
        ]);
      }
    });
  }

  it('gives an example that is itself valid', () => {
    for (const key of settingKeys)
      expect(problemsWith(key, SETTINGS[key].example), key).toEqual([]);
  });

  it('says in words what a missing one is for', () => {
    for (const key of settingKeys.filter(
      (k) =>
        k !== 'releaseTagPattern' &&
        k !== 'environmentReviewers' &&
        k !== 'monitoring' &&
        k !== 'stagingMaxReplicas',
    )) {
      expect(problemsWith(key, undefined), key).toEqual([
        `${fullKey(key)} is missing: ${SETTINGS[key].description}. Example: \`${fullKey(key)}: ${SETTINGS[key].example}\``,
      ]);
      expect(SETTINGS[key].description, key).toMatch(/^\S.{10,}$/);
    }
  });

  it('may leave out the optional ones', () => {
    expect(problemsWith('releaseTagPattern', undefined)).toEqual([]);
    expect(problemsWith('environmentReviewers', undefined)).toEqual([]);
    expect(problemsWith('monitoring', undefined)).toEqual([]);
    expect(problemsWith('stagingMaxReplicas', undefined)).toEqual([]);
  });

  it('keeps a text value that looks like JSON as text', () => {
    const raw = staging();
    raw[fullKey('chromePublisherId')] = '12345';
    expect(parseStackConfig('staging', raw).chromePublisherId).toBe('12345');
  });

  it('fills the defaults of structured values', () => {
    const raw = staging();
    raw[fullKey('deploymentRefs')] = json({ tags: ['v*'] });
    raw[fullKey('environmentReviewers')] = json({ teams: [2] });
    raw[fullKey('supabaseAuth')] = json(auth);
    const settings = parseStackConfig('staging', raw);
    expect(settings.deploymentRefs).toEqual({ branches: [], tags: ['v*'] });
    expect(settings.environmentReviewers).toEqual({ users: [], teams: [2] });
    expect(settings.supabaseAuth.redirectUrls).toEqual([]);
  });
});

describe('secrets and stacks', () => {
  it('write each secret to a distinct GitHub secret name that GitHub accepts, or to none', () => {
    const names = secretKeys.flatMap((key) => SECRETS[key].githubSecret ?? []);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^(?!GITHUB_)[A-Z][A-Z0-9_]+$/);
    for (const key of secretKeys) expect(SECRETS[key].description, key).toMatch(/^\S.{10,}$/);
  });

  it('are the stacks with a file in stacks/, in promotion order', () => {
    const files = readdirSync(path.join(repoRoot, 'stacks')).map(
      (f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1],
    );
    expect([...STACKS].sort()).toEqual(files.sort());
    expect(STACKS).toEqual(['staging', 'prod']);
  });
});

describe('the config error', () => {
  it('lists every problem under the stack file, each with why the value is invalid', () => {
    const raw = staging();
    raw[fullKey('protectedBranch')] = 'a b';
    raw[fullKey('supabaseProjectRef')] = 'ABC';
    raw[fullKey('requiredApprovals')] = '{not json';
    raw[fullKey('speechHandler')] = json({ ...handler, maxConcurrency: 0, maxTextChars: 0 });
    let error: unknown;
    try {
      parseStackConfig('staging', raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).name).toBe('ConfigError');
    const lines = (error as ConfigError).message.split('\n');
    expect(lines[0]).toBe("Invalid config for stack 'staging' (stacks/Pulumi.staging.yaml):");
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^ {2}- read-aloud:protectedBranch is invalid \(a git ref name or fnmatch pattern\)/,
      ),
      expect.stringMatching(/^ {2}- read-aloud:requiredApprovals is invalid \(.*received string\)/),
      expect.stringMatching(
        /^ {2}- read-aloud:supabaseProjectRef is invalid \(twenty lower-case letters\)/,
      ),
      expect.stringMatching(/^ {2}- read-aloud:speechHandler is invalid \([^;]+; [^;]+\)/),
    ]);
  });
});
