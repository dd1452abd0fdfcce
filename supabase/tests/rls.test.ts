import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asCaller,
  createUser,
  migratedDatabase,
  speechAnswerRow,
  speechAskedRow,
  speechCacheRow,
  type Caller,
  type Sql,
  START_TIMEOUT_MS,
} from './database';

interface TableCase {
  table: string;
  /** The column naming the owning user; absent for tables only the functions touch. */
  owner?: string;
  /** A column an update would change. */
  column: string;
  /** A valid new row, owned by `userId` where the table has an owner. */
  row(userId: string): Record<string, unknown>;
}

const TABLES: TableCase[] = [
  { table: 'public.profiles', owner: 'id', column: 'display_name', row: (id) => ({ id }) },
  {
    table: 'public.subscriptions',
    owner: 'user_id',
    column: 'status',
    row: (id) => ({
      user_id: id,
      stripe_customer_id: `cus_${id}`,
      stripe_subscription_id: `sub_${id}`,
      status: 'active',
      last_event_at: new Date(),
    }),
  },
  {
    table: 'public.usage',
    owner: 'user_id',
    column: 'characters',
    row: (id) => ({ user_id: id, month: '2026-01-01', characters: 1, quota: 10 }),
  },
  {
    table: 'public.error_reports',
    owner: 'user_id',
    column: 'message',
    row: (id) => ({ user_id: id, reporter: `user:${id}`, message: 'boom' }),
  },
  {
    table: 'public.speech_cache',
    column: 'hits',
    row: (id) => speechCacheRow(id.replaceAll('-', '').padEnd(64, '0')),
  },
  {
    table: 'public.speech_answers',
    column: 'hits',
    row: (id) => speechAnswerRow(id.replaceAll('-', '').padEnd(64, '0')),
  },
  {
    table: 'public.speech_asked',
    column: 'asked_at',
    row: (id) => speechAskedRow(id.replaceAll('-', '').padEnd(64, '0')),
  },
  { table: 'public.stripe_events', column: 'type', row: (id) => ({ id: `evt_${id}`, type: 't' }) },
  {
    table: 'public.plan_prices',
    column: 'plan',
    row: (id) => ({ price_id: `price_${id}`, plan: 'pro', monthly_characters: 1 }),
  },
  { table: 'private.settings', column: 'value', row: (id) => ({ name: id, value: 1 }) },
];

/** Calls of the functions only the edge functions and pg_cron may make; $1 is a user id. */
const PRIVILEGED_CALLS = [
  'public.charge_characters($1, 1)',
  'public.monthly_quota($1)',
  "private.purge_older_than('public.speech_cache', 'last_used_at', 'speech_cache_unused_days')",
];

describe('row level security on the real database', () => {
  let db: Awaited<ReturnType<typeof migratedDatabase>>;
  let sql: Sql;
  let userA: string;
  let userB: string;
  let userC: string;
  let withoutProfile: string;
  /** Whose row an insert would add: a user with a profile and no rows yet, or one without a profile. */
  const newOwner = (t: TableCase) => (t.table === 'public.profiles' ? withoutProfile : userC);

  beforeAll(async () => {
    db = await migratedDatabase();
    sql = db.sql;
    userA = await createUser(sql, 'a@example.com');
    userB = await createUser(sql, 'b@example.com');
    userC = await createUser(sql, 'c@example.com');
    withoutProfile = await createUser(sql, 'd@example.com');
    await sql`delete from public.profiles where id = ${withoutProfile}`;
    const seeded = TABLES.filter(
      (t) => t.table.startsWith('public.') && t.table !== 'public.profiles',
    );
    for (const user of [userA, userB]) {
      for (const t of seeded) await sql`insert into ${sql(t.table)} ${sql(t.row(user))}`;
    }
  }, START_TIMEOUT_MS);
  afterAll(() => db?.stop());

  const userCaller = (sub: string): Caller => ({ role: 'authenticated', sub });
  const rowsOf = async (caller: Caller, table: string) =>
    asCaller(sql, caller, (tx) => tx`select * from ${tx(table)}`);
  const update = (caller: Caller, t: TableCase, where: string) =>
    asCaller(sql, caller, async (tx) => {
      const filter = t.owner ? tx`${tx(t.owner)} = ${where}` : tx`true`;
      return (await tx`update ${tx(t.table)} set ${tx(t.column)} = ${tx(t.column)} where ${filter}`)
        .count;
    });
  const remove = (caller: Caller, t: TableCase, where: string) =>
    asCaller(sql, caller, async (tx) => {
      const filter = t.owner ? tx`${tx(t.owner)} = ${where}` : tx`true`;
      return (await tx`delete from ${tx(t.table)} where ${filter}`).count;
    });
  const insert = (caller: Caller, t: TableCase, owner: string) =>
    asCaller(
      sql,
      caller,
      async (tx) => (await tx`insert into ${tx(t.table)} ${tx(t.row(owner))}`).count,
    );
  /** Denied outright, or allowed to touch nothing. */
  const noEffect = (outcome: { rows?: number; error?: string }) =>
    outcome.error === '42501' || outcome.rows === 0;

  it('every table in the exposed and private schemas has RLS, and this matrix covers them all', async () => {
    const tables = await sql<{ name: string; rls: boolean }[]>`
      select n.nspname || '.' || c.relname as name, c.relrowsecurity as rls
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname in ('public', 'private') order by 1`;
    expect(tables.map((t) => t.name)).toEqual(TABLES.map((t) => t.table).sort());
    expect(tables.filter((t) => !t.rls)).toEqual([]);
  });

  describe.each(TABLES.filter((t) => t.owner))('$table', (t) => {
    it('user A reads only their own rows', async () => {
      const { rows, error } = await rowsOf(userCaller(userA), t.table);
      expect(error).toBeUndefined();
      expect(rows!.length).toBeGreaterThan(0);
      expect(rows!.every((row) => row[t.owner!] === userA)).toBe(true);
    });

    it("user A can neither change, delete nor add user B's rows", async () => {
      expect(noEffect(await update(userCaller(userA), t, userB))).toBe(true);
      expect(noEffect(await remove(userCaller(userA), t, userB))).toBe(true);
      const added = await insert(userCaller(userA), t, t.owner === 'id' ? withoutProfile : userB);
      expect(added.error).toBe('42501');
    });
  });

  it('a user may rename their own profile, and only that', async () => {
    const own = await update(userCaller(userA), TABLES[0]!, userA);
    expect(own).toEqual({ rows: 1 });
    const otherColumn = await asCaller(
      sql,
      userCaller(userA),
      (tx) => tx`update public.profiles set created_at = now() where id = ${userA}`,
    );
    expect(otherColumn.error).toBe('42501');
  });

  it.each(TABLES.filter((t) => !t.owner))('users cannot read or write $table', async (t) => {
    expect((await rowsOf(userCaller(userA), t.table)).error).toBe('42501');
    expect(noEffect(await update(userCaller(userA), t, userA))).toBe(true);
    expect((await insert(userCaller(userA), t, newOwner(t))).error).toBe('42501');
  });

  it.each(TABLES)('anon can write nothing to $table, nor read it', async (t) => {
    const anon: Caller = { role: 'anon' };
    expect((await insert(anon, t, newOwner(t))).error).toBe('42501');
    expect(noEffect(await update(anon, t, userA))).toBe(true);
    expect(noEffect(await remove(anon, t, userA))).toBe(true);
    const read = await rowsOf(anon, t.table);
    expect(read.error === '42501' || read.rows?.length === 0).toBe(true);
  });

  it.each(PRIVILEGED_CALLS)('neither anon nor users may call %s', async (fn) => {
    const call = (caller: Caller) =>
      asCaller(sql, caller, (tx) => tx.unsafe(`select ${fn.replace('$1', `'${userA}'::uuid`)}`));
    for (const caller of [{ role: 'anon' } as const, userCaller(userA)]) {
      expect((await call(caller)).error).toBe('42501');
    }
    expect((await call({ role: 'service_role' })).error).toBeUndefined();
  });

  it.each(TABLES)('service_role reads, adds, changes and deletes $table', async (t) => {
    const service: Caller = { role: 'service_role' };
    const read = await rowsOf(service, t.table);
    expect(read.rows!.length).toBeGreaterThan(0);
    expect(await insert(service, t, newOwner(t))).toEqual({ rows: 1 });
    expect((await update(service, t, userA)).rows).toBeGreaterThan(0);
    expect((await remove(service, t, userA)).rows).toBeGreaterThan(0);
  });

  it('service_role reads the cron monitoring view; users and anon cannot', async () => {
    const view = 'private.cron_job_status';
    expect((await rowsOf({ role: 'service_role' }, view)).rows!.length).toBeGreaterThan(0);
    expect((await rowsOf(userCaller(userA), view)).error).toBe('42501');
    expect((await rowsOf({ role: 'anon' }, view)).error).toBe('42501');
  });
});
