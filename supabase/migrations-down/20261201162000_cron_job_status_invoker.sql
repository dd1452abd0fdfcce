-- Undoes 20261201162000_cron_job_status_invoker.sql.
revoke select on cron.job, cron.job_run_details from service_role;

alter view private.cron_job_status reset (security_invoker);
