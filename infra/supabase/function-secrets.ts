import * as pulumi from '@pulumi/pulumi';
import { callManagementApi, type ApiTarget } from './management-api';

export interface FunctionSecretsInputs extends ApiTarget {
  /** Secret name -> value. The value is never written to outputs; its digest is. */
  values: Record<string, string>;
  retryDelayMs?: number;
}

export interface FunctionSecretsState extends ApiTarget {
  /** Secret name -> the digest the Management API reports for its value. */
  digests: Record<string, string>;
  retryDelayMs?: number;
}

/** The API reports a SHA-256 digest per secret; its encoding is undocumented, so accept hex or base64. */
function digestMatches(value: string, digest: string | undefined): boolean {
  if (digest === undefined) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto');
  const hash = createHash('sha256').update(value).digest();
  return digest.toLowerCase() === hash.toString('hex') || digest === hash.toString('base64');
}

async function remoteDigests(
  target: FunctionSecretsInputs | FunctionSecretsState,
  names: string[],
) {
  const response = await callManagementApi<{ name: string; value: string }[]>(
    target,
    'GET /secrets',
    // Stryker disable next-line ObjectLiteral: only tests set retryDelayMs, to retry faster; without it a call is the same, only slower
    {
      startingDelayMs: target.retryDelayMs,
    },
  );
  const listed = new Map(response.map((s) => [s.name, s.value]));
  return Object.fromEntries(
    names.filter((name) => listed.has(name)).map((name) => [name, listed.get(name) as string]),
  );
}

async function writeSecrets(inputs: FunctionSecretsInputs, names: string[]) {
  if (names.length === 0) return;
  const body = names.map((name) => ({ name, value: inputs.values[name] as string }));
  await callManagementApi(inputs, 'POST /secrets', {
    body,
    redact: body.map((s) => s.value),
    startingDelayMs: inputs.retryDelayMs,
  });
}

async function deleteSecrets(target: ApiTarget & { retryDelayMs?: number }, names: string[]) {
  if (names.length === 0) return;
  await callManagementApi(target, 'DELETE /secrets', {
    body: names,
    startingDelayMs: target.retryDelayMs,
  });
}

async function stateAfterWrite(inputs: FunctionSecretsInputs): Promise<FunctionSecretsState> {
  const { values: _values, ...target } = inputs;
  return { ...target, digests: await remoteDigests(inputs, Object.keys(inputs.values).sort()) };
}

const staleNames = (olds: FunctionSecretsState, news: FunctionSecretsInputs) =>
  Object.keys(news.values)
    .filter((name) => !digestMatches(news.values[name] as string, olds.digests[name]))
    .sort();

export const functionSecretsProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: FunctionSecretsInputs, news: FunctionSecretsInputs) {
    const failures = Object.keys(news.values ?? {})
      .filter((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^SUPABASE_/i.test(name))
      .map((name) => ({
        property: 'values',
        reason: `secret name '${name}' is invalid: use letters, digits and _, not starting with SUPABASE_ (reserved)`,
      }));
    return { inputs: news, failures };
  },

  async create(inputs: FunctionSecretsInputs) {
    await writeSecrets(inputs, Object.keys(inputs.values).sort());
    return { id: `${inputs.projectRef}/secrets`, outs: await stateAfterWrite(inputs) };
  },

  async read(id: string, props: FunctionSecretsState) {
    return {
      id,
      props: { ...props, digests: await remoteDigests(props, Object.keys(props.digests)) },
    };
  },

  async diff(_id: string, olds: FunctionSecretsState, news: FunctionSecretsInputs) {
    const removed = Object.keys(olds.digests).filter((name) => !(name in news.values));
    const replaces = olds.projectRef === news.projectRef ? [] : ['projectRef'];
    const changed =
      staleNames(olds, news).length > 0 || removed.length > 0 || olds.apiUrl !== news.apiUrl;
    return { changes: changed || replaces.length > 0, replaces, deleteBeforeReplace: false };
  },

  async update(_id: string, olds: FunctionSecretsState, news: FunctionSecretsInputs) {
    await writeSecrets(news, staleNames(olds, news));
    await deleteSecrets(
      news,
      Object.keys(olds.digests).filter((name) => !(name in news.values)),
    );
    return { outs: await stateAfterWrite(news) };
  },

  async delete(_id: string, props: FunctionSecretsState) {
    await deleteSecrets(props, Object.keys(props.digests));
  },
};

export interface FunctionSecretsArgs {
  projectRef: pulumi.Input<string>;
  apiUrl: pulumi.Input<string>;
  accessToken: pulumi.Input<string>;
  values: Record<string, pulumi.Input<string>>;
}

/** The edge functions' secrets; state keeps only the digests the API reports. */
export class FunctionSecrets extends pulumi.dynamic.Resource {
  declare readonly names: pulumi.Output<string[]>;
  declare readonly digests: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: FunctionSecretsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      functionSecretsProvider,
      name,
      {
        ...args,
        // The names stay readable in plans and diffs; only the values are secret.
        names: Object.keys(args.values).sort(),
        values: pulumi.secret(args.values),
        digests: undefined,
      },
      { ...opts, additionalSecretOutputs: ['accessToken'] },
    );
  }
}
