import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as pulumi from '@pulumi/pulumi';
import {
  deserializeProperties,
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
} from '@pulumi/pulumi/runtime/rpc';
import { disconnect, getMonitor } from '@pulumi/pulumi/runtime/settings';
import {
  ConfigError,
  fullKey,
  PROJECT,
  SECRETS,
  secretGivenAsSetting,
  secretKeys,
  setSecretCommand,
  stackFile,
} from '../config';
import { checkResource, type PolicyViolation } from '../policy/rules';
import { readStackFile } from './stack-file';

/** What the plan shows in place of every secret value. */
export const SECRET_MARK = '[secret]';

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** Name of the parent resource, if any. */
  parent?: string;
  /** Name of the explicit provider, if any. */
  provider?: string;
  custom: boolean;
  protect: boolean;
  dependsOn: string[];
  /** Inputs as the program declared them, every secret replaced by SECRET_MARK. */
  inputs: Record<string, unknown>;
  /** Dotted paths of the inputs that are Pulumi secrets. */
  secretPaths: string[];
}

export interface MissingSecret {
  key: string;
  description: string;
  command: string;
}

export interface StackPlan {
  stack: string;
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  missingSecrets: MissingSecret[];
  violations: PolicyViolation[];
}

export interface PlanOptions {
  /** `key=value` overrides of non-secret settings; a bare key means `read-aloud:key`. */
  overrides?: Record<string, string>;
  /** Secret values for this run only (never printed); unset secrets get a placeholder. */
  secrets?: Record<string, string>;
}

type Program = () => Promise<Record<string, unknown>>;

export const qualify = (key: string) => (key.includes(':') ? key : fullKey(key));

/** The config a real `pulumi up` would hand the program, with placeholders for unset secrets. */
export function planConfig(stack: string, options: PlanOptions = {}) {
  const file = readStackFile(stack);
  const overrides = new Map(
    Object.entries(options.overrides ?? {}).map(([k, v]) => [qualify(k), v]),
  );
  const problems = secretKeys.flatMap((key) =>
    file.values[fullKey(key)] !== undefined
      ? [
          `${fullKey(key)} is stored in plain text in ${stackFile(stack)}; remove it and run \`${setSecretCommand(stack, key)}\``,
        ]
      : overrides.has(fullKey(key))
        ? [secretGivenAsSetting(key, [stack])]
        : [],
  );
  if (problems.length > 0) throw new ConfigError(stack, problems);
  const values: Record<string, string> = { ...file.values, ...Object.fromEntries(overrides) };

  const given = new Map(Object.entries(options.secrets ?? {}).map(([k, v]) => [qualify(k), v]));
  const unknownSecret = [...given.keys()].find((k) => !secretKeys.some((s) => fullKey(s) === k));
  if (unknownSecret !== undefined) {
    throw new ConfigError(stack, [`${unknownSecret} is not a known secret (see infra/config.ts)`]);
  }
  const missingSecrets: MissingSecret[] = [];
  for (const key of secretKeys) {
    const name = fullKey(key);
    const value = given.get(name);
    if (value !== undefined) values[name] = value;
    else if (file.secureKeys.includes(name)) values[name] = `<encrypted ${name}>`;
    else {
      values[name] = `<unset ${name}>`;
      missingSecrets.push({
        key: name,
        description: SECRETS[key].description,
        command: setSecretCommand(stack, key),
      });
    }
  }
  return { values, secretNames: secretKeys.map(fullKey), missingSecrets };
}

/** What the plan shows for a value only `up` learns: an endpoint URL, a price id. */
export const KNOWN_AFTER_UP = '(known after up)';
/** What our dynamic resources compute on create (the signing secret, the plan's ids). */
const DYNAMIC_OUTPUTS = ['secret', 'status', 'productId', 'priceId'];

/** Outputs a provider computes that the program reads, given stable stand-ins derived from the inputs. */
export function computedOutputs(
  type: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  if (type === 'command:local:Command') return { stdout: KNOWN_AFTER_UP };
  // A Supabase project API key (infra/supabase/api-key.ts), read from the API on a real run.
  if (type === 'pulumi-nodejs:dynamic:Resource' && typeof inputs.keyName === 'string') {
    return { apiKey: `plan-${inputs.keyName}-key-of-${String(inputs.projectRef)}` };
  }
  if (type === 'pulumi-nodejs:dynamic:Resource') {
    return Object.fromEntries(
      DYNAMIC_OUTPUTS.filter((key) => !(key in inputs)).map((key) => [key, KNOWN_AFTER_UP]),
    );
  }
  if (type !== 'docker-build:index:Image') return {};
  const digest = createHash('sha256').update(JSON.stringify(inputs.tags)).digest('hex');
  return { digest: `sha256:${digest}` };
}

interface Registration {
  type: string;
  name: string;
  parentUrn: string;
  providerRef: string;
  custom: boolean;
  protect: boolean;
  dependencies: string[];
  inputs: Record<string, unknown>;
  urn?: string;
}

/** Replaces secrets and resource references with printable values, noting where secrets were. */
function reveal(value: unknown, path: string, secretPaths: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reveal(v, `${path}[${i}]`, secretPaths));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialSecretSig) {
    secretPaths.push(path);
    return SECRET_MARK;
  }
  if (record[specialSigKey] === specialResourceSig) return record.urn;
  if (path === '') delete record.__provider; // a dynamic provider's serialised code, not a setting
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, reveal(record[key], path ? `${path}.${key}` : key, secretPaths)]),
  );
}

/**
 * The plan drops a dynamic provider's serialised code (see reveal), and serialising it walks the
 * provider's closure through the inspector and the TypeScript parser: about a third of a plan.
 * infra/supabase/serialised-provider.test.ts serialises each provider for real instead.
 */
function skipProviderSerialisation(): void {
  const closure = createRequire(__filename)('@pulumi/pulumi/runtime/closure/serializeClosure') as {
    serializeFunction: (...args: unknown[]) => Promise<{ text: string; containsSecrets: boolean }>;
  };
  closure.serializeFunction = async () => ({ text: '', containsSecrets: false });
}

/**
 * The SDK takes a stack trace for each input of each resource, for its promise-leak report and
 * source positions, which the plan never shows. Errors keep their messages.
 */
async function withoutStackTraces<T>(run: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const nameOf = (urn: string) => urn.split('::').pop() ?? urn;

/**
 * Runs the real program for one stack under Pulumi's in-process mocks: no CLI, no network,
 * no credentials. Call once per process: the Pulumi runtime is process-global.
 */
export async function runStack(
  stack: string,
  program: Program,
  options: PlanOptions = {},
): Promise<StackPlan> {
  const config = planConfig(stack, options);
  pulumi.runtime.setAllConfig(config.values, config.secretNames);
  skipProviderSerialisation();

  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: `${args.name}-id`,
        state: { ...args.inputs, ...computedOutputs(args.type, args.inputs) },
      }),
      call: (args) => args.inputs,
    },
    PROJECT,
    stack,
    false,
  );

  // The mock monitor hides parent, protect and dependencies from the mocks; read them off the wire.
  const registrations: Registration[] = [];
  const monitor = getMonitor() as unknown as {
    registerResource(
      req: RegisterRequest,
      cb: (err: unknown, res?: { getUrn(): string }) => void,
    ): void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const registration: Registration = {
      type: req.getType(),
      name: req.getName(),
      parentUrn: req.getParent(),
      providerRef: req.getProvider(),
      custom: req.getCustom(),
      protect: req.getProtect() ?? false,
      dependencies: req.getDependenciesList(),
      inputs: deserializeProperties(req.getObject()),
    };
    registrations.push(registration);
    register(req, (err, res) => {
      if (res) registration.urn = res.getUrn();
      callback(err, res);
    });
  };

  const outputs = await withoutStackTraces(async () => {
    const resolved = await resolveOutputs(await program());
    await disconnect(); // waits for every registration to finish
    return resolved;
  });

  const resources = registrations
    .filter((r): r is Registration & { urn: string } => r.urn !== undefined)
    .map((r): PlannedResource => {
      const secretPaths: string[] = [];
      const inputs = reveal(r.inputs, '', secretPaths) as Record<string, unknown>;
      return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        ...(r.parentUrn ? { parent: nameOf(r.parentUrn) } : {}),
        ...(r.providerRef
          ? { provider: nameOf(r.providerRef.split('::').slice(0, -1).join('::')) }
          : {}),
        custom: r.custom,
        protect: r.protect,
        dependsOn: r.dependencies.map(nameOf).sort(),
        inputs,
        secretPaths: secretPaths.sort(),
      };
    })
    .sort((a, b) => a.urn.localeCompare(b.urn));

  return {
    stack,
    resources,
    outputs,
    missingSecrets: config.missingSecrets,
    violations: resources.flatMap((r) => checkResource({ ...r, props: r.inputs })),
  };
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getProtect(): boolean | undefined;
  getDependenciesList(): string[];
  getObject(): Parameters<typeof deserializeProperties>[0];
}

async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(outputs ?? {}).map(async ([key, value]) => {
      const output = pulumi.output(value) as pulumi.Output<unknown>;
      if (await pulumi.isSecret(output)) return [key, SECRET_MARK] as const;
      const plain = await new Promise<unknown>((resolve) => output.apply(resolve));
      return [key, reveal(plain, key, [])] as const;
    }),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}
