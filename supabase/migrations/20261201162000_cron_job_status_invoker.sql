-- The monitoring view ran with its owner's rights, so whoever could read it saw every pg_cron job
-- and run, past pg_cron's own row security. Now it checks the reader's rights on pg_cron's tables.
alter view private.cron_job_status set (security_invoker = true);

-- service_role reads the view, so it now needs pg_cron's tables itself (it bypasses their RLS).
-- No USAGE on schema cron: the view refers to them already, and cron.schedule stays out of reach.
grant select on cron.job, cron.job_run_details to service_role;
