import * as pulumi from '@pulumi/pulumi';
import { callManagementApi, type ApiTarget } from './management-api';

type SettingValue = string | number | boolean | null;
type Section = 'auth' | 'postgrest';

/** Only the keys declared here are managed; every other project setting is left alone. */
export interface ProjectSettingsState extends ApiTarget {
  auth: Record<string, SettingValue>;
  postgrest: Record<string, SettingValue>;
  /** Tests shorten the retry backoff. */
  retryDelayMs?: number;
}

const SECTIONS: Section[] = ['auth', 'postgrest'];

const PATHS: Record<Section, string> = { auth: '/config/auth', postgrest: '/postgrest' };

function readSection(state: ProjectSettingsState, section: Section) {
  // Stryker disable next-line ObjectLiteral: only tests set retryDelayMs, to retry faster; without it a call is the same, only slower
  return callManagementApi<Record<string, SettingValue>>(state, `GET ${PATHS[section]}`, {
    startingDelayMs: state.retryDelayMs,
  });
}

async function patchSection(
  state: ProjectSettingsState,
  section: Section,
  values: Record<string, SettingValue>,
) {
  if (Object.keys(values).length === 0) return;
  await callManagementApi(state, `PATCH ${PATHS[section]}`, {
    body: values,
    startingDelayMs: state.retryDelayMs,
  });
}

function changedKeys(
  olds: Record<string, SettingValue>,
  news: Record<string, SettingValue>,
): string[] {
  return Object.keys(news).filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
}

function changedValues(olds: ProjectSettingsState, news: ProjectSettingsState, section: Section) {
  return Object.fromEntries(
    changedKeys(olds[section] ?? {}, news[section]).map((key) => [key, news[section][key] ?? null]),
  );
}

export const projectSettingsProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ProjectSettingsState) {
    for (const section of SECTIONS) await patchSection(inputs, section, inputs[section]);
    return { id: `${inputs.projectRef}/settings`, outs: inputs };
  },

  async read(id: string, props: ProjectSettingsState) {
    const current = { ...props };
    for (const section of SECTIONS) {
      const remote = await readSection(props, section);
      current[section] = Object.fromEntries(
        Object.keys(props[section]).map((key) => [key, remote[key] ?? null]),
      );
    }
    return { id, props: current };
  },

  async diff(_id: string, olds: ProjectSettingsState, news: ProjectSettingsState) {
    const changed = SECTIONS.some(
      (section) => changedKeys(olds[section] ?? {}, news[section]).length > 0,
    );
    const replaces = olds.projectRef === news.projectRef ? [] : ['projectRef'];
    return { changes: changed || replaces.length > 0 || olds.apiUrl !== news.apiUrl, replaces };
  },

  async update(_id: string, olds: ProjectSettingsState, news: ProjectSettingsState) {
    for (const section of SECTIONS)
      await patchSection(news, section, changedValues(olds, news, section));
    return { outs: news };
  },

  // Settings cannot be unset: deleting the resource stops managing them and leaves them as they are.
  async delete() {},
};

export interface ProjectSettingsArgs {
  projectRef: pulumi.Input<string>;
  apiUrl: pulumi.Input<string>;
  accessToken: pulumi.Input<string>;
  auth: pulumi.Input<Record<string, SettingValue>>;
  postgrest: pulumi.Input<Record<string, SettingValue>>;
}

/** A Supabase project's auth and API settings, read back on refresh so drift shows. */
export class ProjectSettings extends pulumi.dynamic.Resource {
  constructor(name: string, args: ProjectSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(projectSettingsProvider, name, args, {
      ...opts,
      additionalSecretOutputs: ['accessToken'],
    });
  }
}
