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
  ('usage_months', 24),
  ('cron_run_detail_days', 14);

create function private.setting(p_name text) returns integer
language sql stable set search_path = ''
as $$
  select value from private.settings where name = p_name
$$;

create function private.purge_error_reports() returns integer
language sql set search_path = ''
as $$
  with gone as (
    delete from public.error_reports
    where created_at < now() - make_interval(days => private.setting('error_report_days'))
    returning 1
  )
  select count(*)::integer from gone
$$;

create function private.purge_speech_cache() returns integer
language sql set search_path = ''
as $$
  with gone as (
    delete from public.speech_cache
    where last_used_at < now() - make_interval(days => private.setting('speech_cache_unused_days'))
    returning 1
  )
  select count(*)::integer from gone
$$;

-- Stripe retries an event for three days; ids older than the window can no longer come back.
create function private.purge_stripe_events() returns integer
language sql set search_path = ''
as $$
  with gone as (
    delete from public.stripe_events
    where processed_at < now() - make_interval(days => private.setting('stripe_event_days'))
    returning 1
  )
  select count(*)::integer from gone
$$;

create function private.purge_usage() returns integer
language sql set search_path = ''
as $$
  with gone as (
    delete from public.usage
    where month < date_trunc('month', now()) - make_interval(months => private.setting('usage_months'))
    returning 1
  )
  select count(*)::integer from gone
$$;

-- pg_cron logs every run and never forgets one on its own.
create function private.purge_cron_run_details() returns integer
language sql set search_path = ''
as $$
  with gone as (
    delete from cron.job_run_details
    where end_time < now() - make_interval(days => private.setting('cron_run_detail_days'))
    returning 1
  )
  select count(*)::integer from gone
$$;

revoke execute on all functions in schema private from public;
grant execute on all functions in schema private to service_role;

select cron.schedule('purge-error-reports', '10 3 * * *', 'select private.purge_error_reports()');
select cron.schedule('purge-speech-cache', '20 3 * * *', 'select private.purge_speech_cache()');
select cron.schedule('purge-stripe-events', '30 3 * * 0', 'select private.purge_stripe_events()');
select cron.schedule('purge-usage', '40 3 1 * *', 'select private.purge_usage()');
select cron.schedule('purge-cron-run-details', '50 3 * * *', 'select private.purge_cron_run_details()');

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
