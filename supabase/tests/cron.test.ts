import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asCaller,
  createUser,
  migratedDatabase,
  speechAnswerRow,
  speechAskedRow,
  speechCacheRow,
  type Sql,
  START_TIMEOUT_MS,
} from './database';

const JOBS = {
  'purge-error-reports': '10 3 * * *',
  'purge-speech-cache': '20 3 * * *',
  'purge-speech-answers': '25 3 * * *',
  'purge-speech-asked': '35 3 * * *',
  'purge-stripe-events': '30 3 * * 0',
  'purge-usage': '40 3 1 * *',
  'purge-cron-run-details': '50 3 * * *',
};
type JobName = keyof typeof JOBS;

/** pg_cron checks schedules once a minute: a job set to run every minute runs within about that. */
const SCHEDULER_TIMEOUT_MS = 150_000;
/**
 * Supabase's `postgres`: not a superuser, owner of what the migrations create (they run as it),
 * and the rights Supabase's pg_cron set-up grants it. Jobs scheduled by the migrations run as it.
 */
const PLATFORM_OWNER_SQL = `
  create role platform_owner login nosuperuser createrole createdb bypassrls;
  grant usage on schema cron to platform_owner;
  grant all on all functions in schema cron to platform_owner;
  grant all on all tables in schema cron to platform_owner;
  revoke all on table cron.job from platform_owner;
  grant select on table cron.job to platform_owner;
  do $$
  declare item record;
  begin
    for item in
      select c.oid::regclass as name, case c.relkind when 'v' then 'view' else 'table' end as kind
      from pg_class c
      where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace)
        and c.relkind in ('r', 'v')
    loop
      execute format('alter %s %s owner to platform_owner', item.kind, item.name);
    end loop;
    for item in
      select p.oid::regprocedure as name from pg_proc p
      where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
    loop
      execute format('alter function %s owner to platform_owner', item.name);
    end loop;
  end $$;
  alter schema private owner to platform_owner;`;

describe('pg_cron jobs', () => {
  let db: Awaited<ReturnType<typeof migratedDatabase>>;
  let sql: Sql;
  let userId: string;

  beforeAll(async () => {
    db = await migratedDatabase();
    sql = db.sql;
    userId = await createUser(sql, 'cron@example.com');
  }, START_TIMEOUT_MS);
  afterAll(() => db?.stop());

  /** Runs a job's own command, as pg_cron would, and returns how many rows it removed. */
  const runJob = async (name: JobName) => {
    const [job] = await sql<
      { command: string }[]
    >`select command from cron.job where jobname = ${name}`;
    const [result] = await sql.unsafe(job!.command);
    return Object.values(result!)[0];
  };
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

  it('each job exists, active, with its five-field schedule', async () => {
    const jobs = await sql<{ jobname: string; schedule: string; active: boolean }[]>`
      select jobname, schedule, active from cron.job order by jobname`;
    expect(Object.fromEntries(jobs.map((j) => [j.jobname, j.schedule]))).toEqual(JOBS);
    expect(jobs.every((j) => j.active && j.schedule.split(' ').length === 5)).toBe(true);
  });

  it('purge-error-reports removes reports older than 30 days and keeps the rest', async () => {
    await sql`insert into public.error_reports (reporter, message, created_at) values
      ('ip:old', 'old', ${daysAgo(31)}), ('ip:new', 'new', ${daysAgo(29)})`;
    expect(await runJob('purge-error-reports')).toBe(1);
    expect((await sql`select message from public.error_reports`).map((r) => r.message)).toEqual([
      'new',
    ]);
  });

  it.each([
    ['purge-speech-cache', 'public.speech_cache', speechCacheRow],
    ['purge-speech-answers', 'public.speech_answers', speechAnswerRow],
    ['purge-speech-asked', 'public.speech_asked', speechAskedRow],
  ] as const)(
    '%s removes entries unused for the configured number of days',
    async (job, table, row) => {
      await sql`update private.settings set value = 30 where name = 'speech_cache_unused_days'`;
      const entry = (digit: string, lastUsed: Date) => row(digit.repeat(64), lastUsed);
      await sql`insert into ${sql(table)} ${sql([entry('a', daysAgo(40)), entry('b', daysAgo(10)), entry('c', daysAgo(2))])}`;
      expect(await runJob(job)).toBe(1);
      await sql`update private.settings set value = 5 where name = 'speech_cache_unused_days'`;
      expect(await runJob(job)).toBe(1);
      expect((await sql`select key from ${sql(table)}`).map((r) => r.key)).toEqual([
        'c'.repeat(64),
      ]);
    },
  );

  it('purge-stripe-events forgets event ids after 90 days', async () => {
    await sql`insert into public.stripe_events (id, type, processed_at) values
      ('evt_old', 't', ${daysAgo(91)}), ('evt_new', 't', ${daysAgo(3)})`;
    expect(await runJob('purge-stripe-events')).toBe(1);
    expect((await sql`select id from public.stripe_events`).map((r) => r.id)).toEqual(['evt_new']);
  });

  it('purge-usage keeps 24 months of usage', async () => {
    await sql`insert into public.usage (user_id, month, characters, quota) values
      (${userId}, date_trunc('month', now() - interval '25 months'), 1, 10),
      (${userId}, date_trunc('month', now() - interval '23 months'), 1, 10)`;
    expect(await runJob('purge-usage')).toBe(1);
    expect(await sql`select 1 from public.usage`).toHaveLength(1);
  });

  it('purge-cron-run-details trims pg_cron history; the monitoring view shows each last run', async () => {
    const [job] = await sql<
      { jobid: number }[]
    >`select jobid from cron.job where jobname = 'purge-usage'`;
    // runid from pg_cron's own sequence, so the scheduler's later runs do not collide with these.
    await sql`insert into cron.job_run_details (jobid, job_pid, database, username, command, status, return_message, start_time, end_time) values
      (${job!.jobid}, 1, 'postgres', 'postgres', 'x', 'failed', 'old failure', ${daysAgo(20)}, ${daysAgo(20)}),
      (${job!.jobid}, 1, 'postgres', 'postgres', 'x', 'succeeded', '1 row', ${daysAgo(1)}, ${daysAgo(1)})`;
    const [status] =
      await sql`select last_status, last_message from private.cron_job_status where jobname = 'purge-usage'`;
    expect(status).toEqual({ last_status: 'succeeded', last_message: '1 row' });

    expect(await runJob('purge-cron-run-details')).toBe(1);
    expect(
      (await sql`select return_message from cron.job_run_details`).map((r) => r.return_message),
    ).toEqual(['1 row']);
    const never =
      await sql`select last_status from private.cron_job_status where jobname = 'purge-error-reports'`;
    expect(never).toEqual([{ last_status: null }]);
  });

  it("the monitoring view shows a reader only the jobs pg_cron's row security lets them see", async () => {
    await sql`create role cron_view_reader nologin`;
    await sql`grant usage on schema private to cron_view_reader`;
    await sql`grant select on private.cron_job_status to cron_view_reader`;
    try {
      const read = await asCaller(
        sql,
        { role: 'cron_view_reader' } as unknown as Parameters<typeof asCaller>[1],
        (tx) => tx`select jobname from private.cron_job_status`,
      );
      // The reader owns no job; with the view owner's rights they would see all of them.
      expect(read).toEqual({ rows: [] });
    } finally {
      await sql`drop owned by cron_view_reader`;
      await sql`drop role cron_view_reader`;
    }
  });

  // Last: it hands the schema to another owner.
  it(
    'pg_cron itself runs every job as a non-superuser owner, as on Supabase, and each succeeds',
    async () => {
      await sql`insert into public.error_reports (reporter, message, created_at) values
        ('ip:stale', 'stale', ${daysAgo(60)})`;
      await sql.unsafe(PLATFORM_OWNER_SQL);
      const [started] = await sql<{ now: Date }[]>`select now()`;
      await sql`update cron.job set username = 'platform_owner', schedule = '* * * * *'`;

      type Run = { jobname: string; status: string; username: string; return_message: string };
      let runs: Run[] = [];
      while (runs.length < Object.keys(JOBS).length) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        runs = await sql<Run[]>`
          select distinct on (j.jobname) j.jobname, d.status, d.username, d.return_message
          from cron.job j join cron.job_run_details d on d.jobid = j.jobid
          where d.start_time >= ${started!.now} and d.status in ('succeeded', 'failed')
          order by j.jobname, d.start_time`;
      }
      expect(runs, JSON.stringify(runs)).toEqual(
        Object.keys(JOBS)
          .sort()
          .map((jobname) => ({
            jobname,
            status: 'succeeded',
            username: 'platform_owner',
            return_message: expect.any(String),
          })),
      );
      const [superuser] = await sql`select rolsuper from pg_roles where rolname = 'platform_owner'`;
      expect(superuser).toEqual({ rolsuper: false });
      expect(await sql`select 1 from public.error_reports where message = 'stale'`).toEqual([]);
    },
    SCHEDULER_TIMEOUT_MS,
  );
});
