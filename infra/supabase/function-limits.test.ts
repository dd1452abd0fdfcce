import * as pulumi from '@pulumi/pulumi';
import { disconnect } from '@pulumi/pulumi/runtime/settings';
import { expect, it } from 'vitest';
import { fullKey, PROJECT, secretKeys } from '../config';
import readAloud from '../index';
import { computedOutputs } from '../plan/run-stack';
import { readStackFile } from '../plan/stack-file';

it("gives the functions the stack's speech limits, the same values its handler gets", async () => {
  const inputs = new Map<string, Record<string, unknown>>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputs.set(args.name, args.inputs as Record<string, unknown>);
        return {
          id: args.name,
          state: { ...args.inputs, ...computedOutputs(args.type, args.inputs) },
        };
      },
      call: (args) => args.inputs,
    },
    PROJECT,
    'prod',
  );
  // Values no stack file and no default holds, so they can only have come from this config.
  const speechHandler = {
    defaultVoice: 'bm_george',
    maxConcurrency: 2,
    maxQueue: 4,
    maxTextChars: 1234,
  };
  pulumi.runtime.setAllConfig(
    {
      ...readStackFile('prod').values,
      [fullKey('speechHandler')]: JSON.stringify(speechHandler),
      ...Object.fromEntries(secretKeys.map((key) => [fullKey(key), `secret-of-${key}`])),
    },
    secretKeys.map(fullKey),
  );
  await readAloud();
  await disconnect();

  // Secret inputs reach the mocks wrapped: {<signature>: ..., value}.
  const { value: functionEnv } = inputs.get('function-secrets')?.values as {
    value: Record<string, string>;
  };
  expect(functionEnv).toMatchObject({ MAX_TEXT_CHARS: '1234', DEFAULT_VOICE: 'bm_george' });
  const rollout = inputs.get('endpoint-rollout')?.create as string;
  expect(rollout).toContain('"DEFAULT_VOICE":"bm_george"');
  expect(rollout).toContain('"MAX_TEXT_CHARS":"1234"');
});
