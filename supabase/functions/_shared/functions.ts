/**
 * Every edge function (the name of its folder) and the variables it reads: the one list that the
 * functions, the local backend, the stacks' function secrets and the tests take them from.
 */
export const FUNCTION_ENV = {
  tts: [
    'SUPABASE_URL',
    'SUPABASE_JWKS',
    'SUPABASE_DB_URL',
    'HF_ENDPOINT_URL',
    'HF_TOKEN',
    // The stack's speech limits, the same values its handler gets.
    'MAX_TEXT_CHARS',
    'DEFAULT_VOICE',
  ],
  'log-error': ['SUPABASE_URL', 'SUPABASE_JWKS', 'SUPABASE_DB_URL'],
  'stripe-webhook': ['SUPABASE_DB_URL', 'STRIPE_WEBHOOK_SECRET'],
  health: ['SUPABASE_DB_URL', 'HF_ENDPOINT_URL', 'HF_TOKEN'],
} as const;

export type FunctionName = keyof typeof FUNCTION_ENV;
export const FUNCTION_NAMES = Object.keys(FUNCTION_ENV) as FunctionName[];
/** Every variable some function reads. */
export type FunctionEnvName = (typeof FUNCTION_ENV)[FunctionName][number];
