-- Scheduled clean-up that keeps every growing table bounded, and a view to monitor it.
-- Five-field schedules only: Debian's pg_cron is 1.4.

create extension if not exists pg_cron;

-- Not exposed through the API: settings and the jobs' bodies.
create schema private;
grant usage on schema private to service_role;

create table private.settings (
  name text primary key,
  value integer not null check (value > 0)
);
alter table private.settings enable row level security;
grant all on private.settings to service_role;
insert into private.settings (name, value) values
  ('speech_cache_unused_days', 30),
  ('error_report_days', 30),
  ('stripe_event_days', 90),
  ('usage_days', 730),
  ('cron_run_detail_days', 14);

-- Deletes the rows of `p_table` whose `p_column` is older than the setting's number of days;
-- returns how many. One body for every purge job, so they cannot drift apart.
create function private.purge_older_than(p_table regclass, p_column name, p_setting text)
returns integer
language plpgsql set search_path = ''
as $$
declare
  v_days integer := (select value from private.settings where name = p_setting);
  v_deleted integer;
begin
  if v_days is null then
    raise exception 'no setting named %', p_setting;
  end if;
  execute format('delete from %s where %I < now() - make_interval(days => $1)', p_table, p_column)
    using v_days;
  get diagnostics v_deleted = row_count;
  return v_deleted;
end;
$$;

revoke execute on all functions in schema private from public;
grant execute on all functions in schema private to service_role;

select cron.schedule('purge-error-reports', '10 3 * * *',
  $$select private.purge_older_than('public.error_reports', 'created_at', 'error_report_days')$$);
select cron.schedule('purge-speech-cache', '20 3 * * *',
  $$select private.purge_older_than('public.speech_cache', 'last_used_at', 'speech_cache_unused_days')$$);
-- Stripe retries an event for three days; ids older than the window can no longer come back.
select cron.schedule('purge-stripe-events', '30 3 * * 0',
  $$select private.purge_older_than('public.stripe_events', 'processed_at', 'stripe_event_days')$$);
select cron.schedule('purge-usage', '40 3 1 * *',
  $$select private.purge_older_than('public.usage', 'month', 'usage_days')$$);
-- pg_cron logs every run and never forgets one on its own.
select cron.schedule('purge-cron-run-details', '50 3 * * *',
  $$select private.purge_older_than('cron.job_run_details', 'end_time', 'cron_run_detail_days')$$);

-- One row per job: its schedule and how its last run went, for monitoring and alerts.
create view private.cron_job_status as
select
  j.jobname,
  j.schedule,
  j.command,
  j.active,
  last_run.status as last_status,
  last_run.start_time as last_start,
  last_run.end_time as last_end,
  last_run.return_message as last_message
from cron.job j
left join lateral (
  select d.status, d.start_time, d.end_time, d.return_message
  from cron.job_run_details d
  where d.jobid = j.jobid
  order by d.start_time desc nulls last
  limit 1
) last_run on true;
grant select on private.cron_job_status to service_role;
