-- The plans sold through Stripe, by price id. `pulumi up` writes each plan's current price here
-- from the Stripe outputs; an archived price keeps its row, so its subscribers keep their quota.
create table public.plan_prices (
  price_id text primary key check (price_id <> ''),
  plan text not null check (plan ~ '^[a-z][a-z0-9_]*$'),
  monthly_characters integer not null check (monthly_characters > 0),
  updated_at timestamptz not null default now()
);
alter table public.plan_prices enable row level security;
revoke all on public.plan_prices from anon, authenticated;
grant all on public.plan_prices to service_role;

-- A live subscription buys its plan's characters; a price not (yet) in plan_prices keeps the
-- paid default, so a deploy that lags behind Stripe never cuts a paying user down to free.
create or replace function public.monthly_quota(p_user_id uuid) returns integer
language sql stable set search_path = ''
as $$
  select case
    when exists (
      select 1 from public.subscriptions s
      where s.user_id = p_user_id and s.status in ('active', 'trialing')
    ) then coalesce(
      (select max(p.monthly_characters)
       from public.subscriptions s join public.plan_prices p on p.price_id = s.price_id
       where s.user_id = p_user_id and s.status in ('active', 'trialing')),
      1000000
    )
    else 20000
  end
$$;
