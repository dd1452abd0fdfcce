import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asCaller, migratedDatabase, type Sql, START_TIMEOUT_MS } from './database';

/**
 * Every privilege anon and authenticated hold outside the system catalogs, directly or through
 * PUBLIC, after all migrations. A change here is a change to what the internet can do: review it.
 */
const REVIEWED = [
  // RLS policies call the claim helpers.
  'function auth.jwt() anon EXECUTE',
  'function auth.jwt() authenticated EXECUTE',
  'function auth.jwt() PUBLIC EXECUTE',
  'function auth.role() anon EXECUTE',
  'function auth.role() authenticated EXECUTE',
  'function auth.role() PUBLIC EXECUTE',
  'function auth.uid() anon EXECUTE',
  'function auth.uid() authenticated EXECUTE',
  'function auth.uid() PUBLIC EXECUTE',
  // pg_cron's own grants to PUBLIC; out of reach: the API roles have no USAGE on schema cron.
  'function cron.job_cache_invalidate() PUBLIC EXECUTE',
  'function cron.schedule(text,text) PUBLIC EXECUTE',
  'function cron.schedule(text,text,text) PUBLIC EXECUTE',
  'function cron.unschedule(bigint) PUBLIC EXECUTE',
  'function cron.unschedule(name) PUBLIC EXECUTE',
  'sequence cron.jobid_seq PUBLIC SELECT',
  'sequence cron.runid_seq PUBLIC SELECT',
  'table cron.job PUBLIC SELECT',
  'table cron.job_run_details PUBLIC DELETE,SELECT',
  // The platform's schemas, as every Supabase project has them.
  'schema auth anon USAGE',
  'schema auth authenticated USAGE',
  'schema extensions anon USAGE',
  'schema extensions authenticated USAGE',
  'schema public anon USAGE',
  'schema public authenticated USAGE',
  'schema public PUBLIC USAGE',
  // A user reads their own rows (RLS) and renames their profile.
  'table public.error_reports authenticated SELECT',
  'table public.profiles authenticated SELECT',
  'column public.profiles.display_name authenticated UPDATE',
  'table public.subscriptions authenticated SELECT',
  'table public.usage authenticated SELECT',
].sort();

/** One line per object, grantee and privileges; default privileges for future objects included. */
const privilegesOfApiRoles = async (sql: Sql) =>
  (
    await sql<{ line: string }[]>`
      with grantee(oid, name) as (
        select 0::oid, 'PUBLIC'
        union all select oid, rolname::text from pg_roles where rolname in ('anon', 'authenticated')
      ),
      user_namespace as (
        select oid from pg_namespace
        where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\_%'
      ),
      object(kind, name, acl) as (
        select case c.relkind when 'S' then 'sequence' when 'v' then 'view' else 'table' end,
          c.relnamespace::regnamespace::text || '.' || c.relname, c.relacl
        from pg_class c
        where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
          and c.relnamespace in (select oid from user_namespace)
        union all
        select 'column', c.relnamespace::regnamespace::text || '.' || c.relname || '.' || a.attname,
          a.attacl
        from pg_attribute a join pg_class c on c.oid = a.attrelid
        where a.attacl is not null and c.relnamespace in (select oid from user_namespace)
        union all
        select 'function', p.oid::regprocedure::text, coalesce(p.proacl, acldefault('f', p.proowner))
        from pg_proc p where p.pronamespace in (select oid from user_namespace)
        union all
        select 'schema', n.nspname, coalesce(n.nspacl, acldefault('n', n.nspowner))
        from pg_namespace n where n.oid in (select oid from user_namespace)
        union all
        select 'default ' || d.defaclobjtype::text, coalesce(d.defaclnamespace::regnamespace::text, '*'),
          d.defaclacl
        from pg_default_acl d
      )
      select o.kind || ' ' || o.name || ' ' || g.name || ' '
        || string_agg(x.privilege_type, ',' order by x.privilege_type) as line
      from object o cross join lateral aclexplode(o.acl) x join grantee g on g.oid = x.grantee
      group by o.kind, o.name, g.name`
  )
    .map((row) => row.line)
    .sort();

describe('privileges of the API roles', () => {
  let db: Awaited<ReturnType<typeof migratedDatabase>>;

  beforeAll(async () => {
    db = await migratedDatabase();
  }, START_TIMEOUT_MS);
  afterAll(() => db?.stop());

  it('are exactly the reviewed list', async () => {
    expect(await privilegesOfApiRoles(db.sql)).toEqual(REVIEWED);
  });

  it('users cannot move the error_reports sequence, so log-error keeps working', async () => {
    for (const caller of [
      { role: 'anon' },
      { role: 'authenticated', sub: crypto.randomUUID() },
    ] as const) {
      const moved = await asCaller(
        db.sql,
        caller,
        (tx) => tx`select setval('public.error_reports_id_seq', 1)`,
      );
      expect(moved.error).toBe('42501');
    }
  });

  it('a table a later migration adds gives the API roles nothing until it grants something', async () => {
    await db.sql`create table public.later (id bigint generated always as identity primary key)`;
    try {
      expect(await privilegesOfApiRoles(db.sql)).toEqual(REVIEWED);
    } finally {
      await db.sql`drop table public.later`;
    }
  });
});
