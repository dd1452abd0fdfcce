// The one place the handler reads its environment: the endpoint rollout must set every name listed here.
export const HANDLER_ENV_VARS = [
  'PORT',
  'MODEL_DIR',
  'MODEL_FILE',
  'DEFAULT_VOICE',
  'MAX_CONCURRENCY',
  'MAX_QUEUE',
  'MAX_TEXT_CHARS',
] as const;

export type HandlerEnvVar = (typeof HANDLER_ENV_VARS)[number];

export interface HandlerEnv {
  port: number;
  modelDir: string;
  modelFile: string;
  defaultVoice: string;
  maxConcurrency: number;
  maxQueue: number;
  maxTextChars: number;
}

function integer(
  env: Partial<Record<HandlerEnvVar, string>>,
  name: HandlerEnvVar,
  fallback: number,
  min: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function readHandlerEnv(
  env: Partial<Record<HandlerEnvVar, string>> = process.env,
): HandlerEnv {
  return {
    // Not 80: the container runs as a non-root user; the rollout sets the endpoint's port to match.
    port: integer(env, 'PORT', 8080, 0),
    // The endpoint mounts the model repository here.
    modelDir: env.MODEL_DIR || '/repository',
    modelFile: env.MODEL_FILE || 'onnx/model.onnx',
    defaultVoice: env.DEFAULT_VOICE || 'af_heart',
    maxConcurrency: integer(env, 'MAX_CONCURRENCY', 1, 1),
    maxQueue: integer(env, 'MAX_QUEUE', 8, 0),
    maxTextChars: integer(env, 'MAX_TEXT_CHARS', 5000, 1),
  };
}
