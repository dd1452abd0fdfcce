import { connectDatabase } from '../_shared/db.ts';
import { requireEnv } from '../_shared/env.ts';
import { createHealthHandler, databaseProbe, speechEndpointProbe } from './handler.ts';

const env = requireEnv('SUPABASE_DB_URL', 'HF_ENDPOINT_URL', 'HF_TOKEN');

Deno.serve(
  createHealthHandler({
    probeDatabase: databaseProbe(connectDatabase(env.SUPABASE_DB_URL)),
    probeSpeechEndpoint: speechEndpointProbe({ url: env.HF_ENDPOINT_URL, token: env.HF_TOKEN }),
  }),
);
