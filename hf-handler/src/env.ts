import {
  DEFAULT_VOICE,
  HANDLER_PORT,
  MAX_TEXT_CHARS,
  MODEL_FILE,
  REPOSITORY_PATH,
} from '../../speech/index.ts';

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
    port: integer(env, 'PORT', HANDLER_PORT, 0),
    modelDir: env.MODEL_DIR || REPOSITORY_PATH,
    modelFile: env.MODEL_FILE || MODEL_FILE,
    defaultVoice: env.DEFAULT_VOICE || DEFAULT_VOICE,
    maxConcurrency: integer(env, 'MAX_CONCURRENCY', 1, 1),
    maxQueue: integer(env, 'MAX_QUEUE', 8, 0),
    maxTextChars: integer(env, 'MAX_TEXT_CHARS', MAX_TEXT_CHARS, 1),
  };
}
