import { createCallerVerifier } from '../_shared/auth.ts';
import { connectDatabase } from '../_shared/db.ts';
import { requireEnv } from '../_shared/env.ts';
import { FUNCTION_ENV } from '../_shared/functions.ts';
import { createLogErrorHandler } from './handler.ts';

const env = requireEnv(...FUNCTION_ENV['log-error']);

Deno.serve(
  createLogErrorHandler({
    verifyCaller: createCallerVerifier({ jwks: env.SUPABASE_JWKS, supabaseUrl: env.SUPABASE_URL }),
    sql: connectDatabase(env.SUPABASE_DB_URL),
  }),
);
