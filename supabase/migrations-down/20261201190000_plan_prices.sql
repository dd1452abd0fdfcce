-- Undoes 20261201190000_plan_prices.sql.
-- restore function public.monthly_quota from 20261125150000_schema.sql

drop table public.plan_prices;
