-- Undoes 20261125170000_drop_has_quota_for.sql.
-- restore function public.has_quota_for from 20261125150000_schema.sql

revoke execute on function public.has_quota_for(uuid, integer) from public, anon, authenticated;
grant execute on function public.has_quota_for(uuid, integer) to service_role;
