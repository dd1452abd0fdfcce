-- A charge asked monthly_quota on every request: two reads of subscriptions and plan_prices for a
-- number that changes only when one of them does. The month's usage row now keeps it: these
-- triggers refresh it on every such change, so a charge that fits is one update of one row.
-- A migration that changes monthly_quota must refresh this month's rows too.
create function private.refresh_month_quotas(p_user_ids uuid[]) returns void
language sql set search_path = ''
as $$
  update public.usage u set quota = public.monthly_quota(u.user_id)
  where u.month = date_trunc('month', now())::date and u.user_id = any (p_user_ids)
    and u.quota <> public.monthly_quota(u.user_id)
$$;

create function private.subscription_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  perform private.refresh_month_quotas(array[new.user_id, old.user_id]);
  return null;
end;
$$;

create trigger refresh_month_quota
  after insert or update or delete on public.subscriptions
  for each row execute function private.subscription_changed();

create function private.plan_price_changed() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  -- Each deploy writes every price again; only a changed quota sends its subscribers a new one.
  if tg_op = 'UPDATE'
    and (new.price_id, new.monthly_characters) = (old.price_id, old.monthly_characters) then
    return null;
  end if;
  perform private.refresh_month_quotas(array(
    select s.user_id from public.subscriptions s where s.price_id in (new.price_id, old.price_id)
  ));
  return null;
end;
$$;

create trigger refresh_month_quota
  after insert or update or delete on public.plan_prices
  for each row execute function private.plan_price_changed();

-- The triggers run as their owner, whoever writes the tables; nobody calls these directly.
revoke execute on function private.refresh_month_quotas(uuid[]), private.subscription_changed(),
  private.plan_price_changed() from public, anon, authenticated;

-- The month's first charge creates its row with the quota; later ones only read it.
create or replace function public.charge_characters(p_user_id uuid, p_characters integer)
returns boolean
language plpgsql set search_path = ''
as $$
declare
  v_month constant date := date_trunc('month', now())::date;
begin
  if not exists (select 1 from public.usage where user_id = p_user_id and month = v_month) then
    -- A charge racing this one may insert first: its row is then the one charged below.
    insert into public.usage (user_id, month, characters, quota)
    values (p_user_id, v_month, 0, public.monthly_quota(p_user_id))
    on conflict (user_id, month) do nothing;
  end if;
  update public.usage
  set characters = characters + p_characters, updated_at = now()
  where user_id = p_user_id and month = v_month and characters + p_characters <= quota;
  return found;
end;
$$;

-- This month's rows as the triggers would have left them.
select private.refresh_month_quotas(array(
  select u.user_id from public.usage u where u.month = date_trunc('month', now())::date
));
