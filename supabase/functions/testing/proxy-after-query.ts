// The backend bench's floor: a pass-through that first makes one database round trip (select 1,
// on a pool like tts's), the least that any design pays which charges before calling the endpoint.
import { connectDatabase } from '../_shared/db.ts';
import { requireEnv } from '../_shared/env.ts';
import { servePassThrough } from './pass-through.ts';

const sql = connectDatabase(requireEnv('SUPABASE_DB_URL').SUPABASE_DB_URL);
servePassThrough(() => sql`select 1`);
