import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { ConfigError, fullKey, loadStackConfig, parseStackConfig, secretKeys } from './config';
import { readStackFile } from './plan/stack-file';

const secretValue = (key: string) => `secret-of-${key}`;
const staging = () => ({
  ...readStackFile('staging').values,
  ...Object.fromEntries(secretKeys.map((key) => [fullKey(key), secretValue(key)])),
});

describe('config keys of other namespaces', () => {
  it('are left alone: provider and Pulumi keys, and our name later in a key', () => {
    const raw = {
      ...staging(),
      'aws:region': 'us-east-1',
      'pulumi:disable-default-providers': '["*"]',
      'other:read-aloud:x': 'y',
    };
    expect(parseStackConfig('staging', raw).githubRepository).toBe('read-aloud/read-aloud');
  });

  it('are ours when they start with our project name, and every unknown one is named, sorted', () => {
    const raw = { ...staging(), 'read-aloud:zeta': '1', 'read-aloud:alpha': '2' };
    const error = (() => {
      try {
        parseStackConfig('staging', raw);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems.map((p) => p.split(' ')[0])).toEqual([
      'read-aloud:alpha',
      'read-aloud:zeta',
    ]);
  });
});

describe('loadStackConfig', () => {
  it("reads the deployed stack's config from Pulumi, every secret a Pulumi secret", async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({ id: args.name, state: args.inputs }),
        call: (args) => args.inputs,
      },
      'read-aloud',
      'staging',
    );
    pulumi.runtime.setAllConfig(staging(), secretKeys.map(fullKey));

    const { stack, settings, secrets } = loadStackConfig();
    expect(stack).toBe('staging');
    expect(settings.supabaseProjectRef).toBe('stagingrefaaaaaaaaaa');
    expect(Object.keys(secrets).sort()).toEqual([...secretKeys].sort());
    for (const key of secretKeys) {
      expect(await pulumi.isSecret(secrets[key]), key).toBe(true);
      const value = await new Promise((resolve) => secrets[key].apply(resolve));
      expect(value, key).toBe(secretValue(key));
    }
  });
});
