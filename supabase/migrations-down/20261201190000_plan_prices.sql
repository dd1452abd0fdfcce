-- Undoes 20261201190000_plan_prices.sql: the quota as 20261125150000_schema.sql made it.
create or replace function public.monthly_quota(p_user_id uuid) returns integer
language sql stable set search_path = ''
as $$
  select case
    when exists (
      select 1 from public.subscriptions s
      where s.user_id = p_user_id and s.status in ('active', 'trialing')
    ) then 1000000
    else 20000
  end
$$;

drop table public.plan_prices;
