-- Undoes 20261201180000_health_checks.sql.
drop function private.health_stripe_events_seen(text[]);
drop function private.health_error_reports(interval);
drop function private.health_cron_problems(interval);
