-- Undoes 20261125150100_maintenance.sql.
select cron.unschedule(jobname) from cron.job where jobname in (
  'purge-error-reports', 'purge-speech-cache', 'purge-stripe-events', 'purge-usage',
  'purge-cron-run-details'
);
drop schema private cascade;
drop extension pg_cron;
