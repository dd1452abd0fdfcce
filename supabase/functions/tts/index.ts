import { createCallerVerifier } from '../_shared/auth.ts';
import { connectDatabase } from '../_shared/db.ts';
import { requireEnv } from '../_shared/env.ts';
import { FUNCTION_ENV } from '../_shared/functions.ts';
import { createSpeechEndpoint } from './speech-endpoint.ts';
import { createTtsHandler } from './handler.ts';
import { speechLimits } from './speech.ts';

const env = requireEnv(...FUNCTION_ENV['tts']);

Deno.serve(
  createTtsHandler({
    verifyCaller: createCallerVerifier({ jwks: env.SUPABASE_JWKS, supabaseUrl: env.SUPABASE_URL }),
    sql: connectDatabase(env.SUPABASE_DB_URL),
    synthesise: createSpeechEndpoint({ url: env.HF_ENDPOINT_URL, token: env.HF_TOKEN }),
    limits: speechLimits(env),
  }),
);
