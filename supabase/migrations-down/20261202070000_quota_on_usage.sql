-- Undoes 20261202070000_quota_on_usage.sql.
-- restore function public.charge_characters from 20261202010000_tts_hot_path.sql

drop trigger refresh_month_quota on public.plan_prices;
drop trigger refresh_month_quota on public.subscriptions;
drop function private.plan_price_changed();
drop function private.subscription_changed();
drop function private.refresh_month_quotas(uuid[]);
