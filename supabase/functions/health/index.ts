import { connectDatabase } from '../_shared/db.ts';
import { requireEnv } from '../_shared/env.ts';
import { FUNCTION_ENV } from '../_shared/functions.ts';
import { createHealthHandler, databaseProbe, speechEndpointProbe } from './handler.ts';

const env = requireEnv(...FUNCTION_ENV['health']);

Deno.serve(
  createHealthHandler({
    probeDatabase: databaseProbe(connectDatabase(env.SUPABASE_DB_URL)),
    probeSpeechEndpoint: speechEndpointProbe({ url: env.HF_ENDPOINT_URL, token: env.HF_TOKEN }),
  }),
);
