-- Undoes 20261202010000_tts_hot_path.sql.
-- restore function public.monthly_quota from 20261201190000_plan_prices.sql
-- restore function public.charge_characters from 20261125150000_schema.sql

alter table public.speech_cache set logged;
