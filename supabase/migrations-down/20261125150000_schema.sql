-- Undoes 20261125150000_schema.sql.
drop trigger on_auth_user_created on auth.users;
drop function public.handle_new_user();
drop function public.charge_characters(uuid, integer);
drop function public.has_quota_for(uuid, integer);
drop function public.monthly_quota(uuid);
drop table public.stripe_events, public.error_reports, public.speech_cache, public.usage,
  public.subscriptions, public.profiles;
