import * as pulumi from '@pulumi/pulumi';
import { callManagementApi, type ApiTarget } from './management-api';

export interface ProjectApiKeyState extends ApiTarget {
  /** The key's name in the project: `anon` is the publishable one the extension ships. */
  keyName: string;
  apiKey?: string;
  /** Tests shorten the retry backoff. */
  retryDelayMs?: number;
}

export async function readApiKey(state: ProjectApiKeyState): Promise<string> {
  // Stryker disable next-line ObjectLiteral: only tests set retryDelayMs, to retry faster
  const keys = await callManagementApi<{ name: string; api_key: string }[]>(
    state,
    'GET /api-keys',
    {
      startingDelayMs: state.retryDelayMs,
    },
  );
  const key = keys.find((k) => k.name === state.keyName)?.api_key;
  if (!key) {
    throw new Error(
      `Supabase project ${state.projectRef} has no API key named ${state.keyName} (it has ${keys.map((k) => k.name).join(', ') || 'none'})`,
    );
  }
  return key;
}

const IDENTITY = ['projectRef', 'apiUrl', 'keyName'] as const;

export const projectApiKeyProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ProjectApiKeyState) {
    return {
      id: `${inputs.projectRef}/api-keys/${inputs.keyName}`,
      outs: { ...inputs, apiKey: await readApiKey(inputs) },
    };
  },

  async read(id: string, props: ProjectApiKeyState) {
    return { id, props: { ...props, apiKey: await readApiKey(props) } };
  },

  // A rotated key is a change: every `up` reads the key, so what it feeds is rebuilt with it.
  async diff(_id: string, olds: ProjectApiKeyState, news: ProjectApiKeyState) {
    const replaces = IDENTITY.filter((key) => olds[key] !== news[key]);
    const rotated = replaces.length === 0 && (await readApiKey(news)) !== olds.apiKey;
    return { changes: replaces.length > 0 || rotated, replaces };
  },

  async update(_id: string, _olds: ProjectApiKeyState, news: ProjectApiKeyState) {
    return { outs: { ...news, apiKey: await readApiKey(news) } };
  },

  // The key belongs to the project: forgetting it changes nothing there.
  async delete() {},
};

export interface ProjectApiKeyArgs {
  projectRef: pulumi.Input<string>;
  apiUrl: pulumi.Input<string>;
  accessToken: pulumi.Input<string>;
  keyName: pulumi.Input<string>;
}

/** One of the project's API keys, read through the Management API, as an output. */
export class ProjectApiKey extends pulumi.dynamic.Resource {
  declare readonly apiKey: pulumi.Output<string>;

  constructor(name: string, args: ProjectApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      projectApiKeyProvider,
      name,
      { ...args, apiKey: undefined },
      {
        ...opts,
        additionalSecretOutputs: ['accessToken'],
      },
    );
  }
}
