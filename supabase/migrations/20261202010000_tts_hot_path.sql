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
