-- Undoes 20261125170000_drop_has_quota_for.sql: the function as 20261125150000_schema.sql made it.
create function public.has_quota_for(p_user_id uuid, p_characters integer) returns boolean
language sql stable set search_path = ''
as $$
  select coalesce(
    (select u.characters from public.usage u
     where u.user_id = p_user_id and u.month = date_trunc('month', now())::date),
    0
  ) + p_characters <= public.monthly_quota(p_user_id)
$$;

revoke execute on function public.has_quota_for(uuid, integer) from public, anon, authenticated;
grant execute on function public.has_quota_for(uuid, integer) to service_role;
