import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, fullKey, parseStackConfig, secretKeys } from './config';
import { repoRoot } from './paths';
import { readStackFile } from './plan/stack-file';

const SENTINEL = 'sentinel-secret-value-0123456789';
const withSecrets = (values: Record<string, string>) => ({
  ...values,
  ...Object.fromEntries(secretKeys.map((key) => [fullKey(key), SENTINEL])),
});
const stagingValues = () => readStackFile('staging').values;

function problemsOf(stack: string, raw: Record<string, string>): string[] {
  try {
    parseStackConfig(stack, raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('stack config', () => {
  it('accepts both committed stack files once their secrets are set', () => {
    for (const stack of ['staging', 'prod']) {
      const settings = parseStackConfig(stack, withSecrets(readStackFile(stack).values));
      expect(settings.githubRepository).toBe('read-aloud/read-aloud');
    }
    expect(parseStackConfig('prod', withSecrets(readStackFile('prod').values))).toMatchObject({
      protectedBranch: 'main',
      releaseTagPattern: 'v*',
      deploymentRefs: { branches: [], tags: ['v*'] },
      protect: true,
    });
  });

  it('names a missing key, the stack file and an example', () => {
    const raw = withSecrets(stagingValues());
    delete raw['read-aloud:protectedBranch'];
    const error = (() => {
      try {
        parseStackConfig('staging', raw);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toContain('stacks/Pulumi.staging.yaml');
    expect(error?.message).toContain('read-aloud:protectedBranch is missing');
    expect(error?.message).toContain('Example: `read-aloud:protectedBranch: develop`');
  });

  it('rejects a value of the wrong type with what a valid one looks like', () => {
    const raw = withSecrets({ ...stagingValues(), 'read-aloud:requiredApprovals': 'two' });
    expect(problemsOf('staging', raw)).toEqual([
      expect.stringMatching(
        /^read-aloud:requiredApprovals is invalid .*got "two"\. Example: `read-aloud:requiredApprovals: 1`$/,
      ),
    ]);
  });

  it('rejects a Supabase project ref that is not twenty lower-case letters', () => {
    const refs = [
      'abcdefghijklmnopqrs',
      'abcdefghijklmnopqrstu',
      'Abcdefghijklmnopqrst',
      'abcdefghijklmnopqrst/x',
    ];
    for (const ref of refs) {
      const raw = withSecrets({ ...stagingValues(), 'read-aloud:supabaseProjectRef': ref });
      expect(problemsOf('staging', raw)).toEqual([
        expect.stringMatching(
          /^read-aloud:supabaseProjectRef is invalid .*twenty lower-case letters/,
        ),
      ]);
    }
  });

  it('lists every unset secret with the command that sets it', () => {
    const problems = problemsOf('prod', readStackFile('prod').values);
    expect(problems).toHaveLength(secretKeys.length);
    expect(problems).toContain(
      'read-aloud:hfToken is missing: Hugging Face token that creates and updates the endpoint (the rollout only). ' +
        'Set it with `pulumi config set --secret read-aloud:hfToken --stack prod`',
    );
  });

  it('flags unknown keys without echoing their values', () => {
    const raw = withSecrets({ ...stagingValues(), 'read-aloud:hfTokn': SENTINEL });
    const problems = problemsOf('staging', raw);
    expect(problems).toEqual([expect.stringContaining('read-aloud:hfTokn is not a known setting')]);
    expect(problems.join('\n')).not.toContain(SENTINEL);
  });

  it('refuses an unknown stack with the known ones', () => {
    expect(() => readStackFile('qa')).toThrow(
      "Unknown stack 'qa': no stacks/Pulumi.qa.yaml. Known stacks: prod, staging",
    );
  });
});

describe('stack files', () => {
  it('document every secret key, and hold no secret in plain text', () => {
    for (const stack of ['staging', 'prod']) {
      const text = readFileSync(path.join(repoRoot, 'stacks', `Pulumi.${stack}.yaml`), 'utf8');
      for (const key of secretKeys) expect(text).toContain(`#   ${fullKey(key)}  `);
      for (const key of secretKeys)
        expect(readStackFile(stack).values[fullKey(key)]).toBeUndefined();
    }
  });
});
