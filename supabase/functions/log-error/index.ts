import { createCallerVerifier } from '../_shared/auth.ts';
import { connectDatabase } from '../_shared/db.ts';
import { requireEnv } from '../_shared/env.ts';
import { createLogErrorHandler } from './handler.ts';

const env = requireEnv('SUPABASE_URL', 'SUPABASE_JWKS', 'SUPABASE_DB_URL');

Deno.serve(
  createLogErrorHandler({
    verifyCaller: createCallerVerifier({ jwks: env.SUPABASE_JWKS, supabaseUrl: env.SUPABASE_URL }),
    sql: connectDatabase(env.SUPABASE_DB_URL),
  }),
);
