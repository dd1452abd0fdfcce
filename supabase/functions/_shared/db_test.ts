import assert from 'node:assert/strict';
import { connectDatabase } from './db.ts';

Deno.test('prepares statements on a direct or session connection, not through a transaction pooler', async () => {
  const pools = {
    direct: connectDatabase(
      'postgresql://postgres:pw@db.abcdefghijklmnop.supabase.co:5432/postgres',
    ),
    session: connectDatabase(
      'postgres://postgres.ref:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres',
    ),
    transaction: connectDatabase(
      'postgres://postgres.ref:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres',
    ),
  };
  try {
    assert.deepEqual(
      Object.fromEntries(Object.entries(pools).map(([name, sql]) => [name, sql.options.prepare])),
      { direct: true, session: true, transaction: false },
    );
  } finally {
    // Nothing connected: a pool opens its connections on the first query.
    await Promise.all(Object.values(pools).map((sql) => sql.end()));
  }
});
