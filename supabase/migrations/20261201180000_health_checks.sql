-- What the scheduled health check reads, and only that: job names, counts and event ids, never
-- a user's data. In `private` (not exposed by the Data API), executable by service_role alone.

-- pg_cron jobs that failed in the window, or that did not run although their schedule says they
-- should have: daily jobs within a day, weekly ones (a day of the week set) within a week,
-- monthly ones (a day of the month set) within 31 days. A job that never ran yet is not reported.
create function private.health_cron_problems(p_since interval default interval '1 day')
returns table (jobname text, problem text, runs integer, last_message text)
language sql stable set search_path = ''
as $$
  select j.jobname::text, 'failed', count(*)::integer,
         (array_agg(left(d.return_message, 200) order by d.start_time desc))[1]
  from cron.job j
  join cron.job_run_details d on d.jobid = j.jobid
  where d.status = 'failed' and d.start_time > now() - p_since
  group by j.jobname
  union all
  select j.jobname::text, 'missed', 0, null
  from cron.job j
  join lateral (
    select max(d.start_time) as last_start from cron.job_run_details d where d.jobid = j.jobid
  ) last_run on true
  where j.active
    and last_run.last_start is not null
    and last_run.last_start < now() - case
      when split_part(j.schedule, ' ', 3) <> '*' then interval '31 days'
      when split_part(j.schedule, ' ', 5) <> '*' then interval '7 days'
      else greatest(p_since, interval '1 day')
    end + interval '1 hour'
  order by 1, 2;
$$;

-- How many error reports arrived in the window: the spike the health check compares.
create function private.health_error_reports(p_since interval default interval '1 hour')
returns integer
language sql stable set search_path = ''
as $$
  select count(*)::integer from public.error_reports where created_at > now() - p_since;
$$;

-- Which of the given Stripe event ids the webhook recorded: the rest it never saw or refused.
create function private.health_stripe_events_seen(p_ids text[])
returns setof text
language sql stable set search_path = ''
as $$
  select id from public.stripe_events where id = any (p_ids);
$$;

revoke all on function private.health_cron_problems(interval) from public;
revoke all on function private.health_error_reports(interval) from public;
revoke all on function private.health_stripe_events_seen(text[]) from public;
grant execute on function private.health_cron_problems(interval) to service_role;
grant execute on function private.health_error_reports(interval) to service_role;
grant execute on function private.health_stripe_events_seen(text[]) to service_role;
