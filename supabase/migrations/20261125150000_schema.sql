-- Tables of the read-aloud backend. Every table has RLS; users see only their own rows, and
-- everything that costs money or affects others is written by the edge functions (service_role).

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  display_name text check (char_length(display_name) <= 100),
  created_at timestamptz not null default now()
);

create table public.subscriptions (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  stripe_customer_id text not null unique,
  stripe_subscription_id text not null unique,
  status text not null check (
    status in ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled',
      'unpaid', 'paused')
  ),
  price_id text,
  current_period_end timestamptz,
  -- Stripe does not deliver events in order; an older event must not undo a newer one.
  last_event_at timestamptz not null,
  updated_at timestamptz not null default now()
);

create table public.usage (
  user_id uuid not null references public.profiles (id) on delete cascade,
  month date not null check (month = date_trunc('month', month)::date),
  characters integer not null default 0 check (characters >= 0),
  quota integer not null check (quota >= 0),
  updated_at timestamptz not null default now(),
  primary key (user_id, month)
);

create table public.speech_cache (
  key text primary key check (key ~ '^[0-9a-f]{64}$'),
  voice text not null,
  speed real not null,
  model_version text not null,
  mime text not null,
  audio bytea not null,
  words jsonb not null,
  duration_ms integer not null check (duration_ms >= 0),
  hits integer not null default 0,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now()
);
-- Audio does not compress; skip TOAST's attempt on every insert.
alter table public.speech_cache alter column audio set storage external;
create index speech_cache_last_used_at on public.speech_cache (last_used_at);

create table public.error_reports (
  id bigint generated always as identity primary key,
  user_id uuid references public.profiles (id) on delete set null,
  -- 'user:<uuid>' or 'ip:<sha256 of the address>': what the rate limit counts by.
  reporter text not null,
  message text not null,
  stack text,
  page_url text,
  extension_version text,
  user_agent text,
  created_at timestamptz not null default now()
);
create index error_reports_reporter_created_at on public.error_reports (reporter, created_at);
create index error_reports_created_at on public.error_reports (created_at);

create table public.stripe_events (
  id text primary key,
  type text not null,
  processed_at timestamptz not null default now()
);
create index stripe_events_processed_at on public.stripe_events (processed_at);

alter table public.profiles enable row level security;
alter table public.subscriptions enable row level security;
alter table public.usage enable row level security;
alter table public.speech_cache enable row level security;
alter table public.error_reports enable row level security;
alter table public.stripe_events enable row level security;

-- Supabase's default privileges give the API roles everything; take it back, then grant the minimum.
revoke all on public.profiles, public.subscriptions, public.usage, public.speech_cache,
  public.error_reports, public.stripe_events from anon, authenticated;
grant all on public.profiles, public.subscriptions, public.usage, public.speech_cache,
  public.error_reports, public.stripe_events to service_role;
grant select on public.profiles, public.subscriptions, public.usage, public.error_reports
  to authenticated;
grant update (display_name) on public.profiles to authenticated;

create policy "profiles: owner reads" on public.profiles
  for select to authenticated using (id = (select auth.uid()));
create policy "profiles: owner renames" on public.profiles
  for update to authenticated using (id = (select auth.uid())) with check (id = (select auth.uid()));
create policy "subscriptions: owner reads" on public.subscriptions
  for select to authenticated using (user_id = (select auth.uid()));
create policy "usage: owner reads" on public.usage
  for select to authenticated using (user_id = (select auth.uid()));
create policy "error_reports: owner reads" on public.error_reports
  for select to authenticated using (user_id = (select auth.uid()));

-- Each new auth user gets a profile; definer rights because auth.users' insert runs as GoTrue.
create function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.profiles (id) values (new.id);
  return new;
end;
$$;
revoke execute on function public.handle_new_user() from public, anon, authenticated;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function public.handle_new_user();

-- Characters per month a user may turn into speech: more with a live subscription.
create function public.monthly_quota(p_user_id uuid) returns integer
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

-- Checks and records usage in one statement, so concurrent requests cannot exceed the quota.
-- Returns false (and records nothing) when the characters do not fit.
create function public.charge_characters(p_user_id uuid, p_characters integer) returns boolean
language plpgsql set search_path = ''
as $$
declare
  v_month date := date_trunc('month', now())::date;
  v_quota integer := public.monthly_quota(p_user_id);
begin
  insert into public.usage (user_id, month, characters, quota)
  values (p_user_id, v_month, 0, v_quota)
  on conflict (user_id, month) do update set quota = excluded.quota;

  update public.usage
  set characters = characters + p_characters, updated_at = now()
  where user_id = p_user_id and month = v_month and characters + p_characters <= quota;
  return found;
end;
$$;

-- Whether the characters would fit now, without recording anything (checked before paying upstream).
create function public.has_quota_for(p_user_id uuid, p_characters integer) returns boolean
language sql stable set search_path = ''
as $$
  select coalesce(
    (select u.characters from public.usage u
     where u.user_id = p_user_id and u.month = date_trunc('month', now())::date),
    0
  ) + p_characters <= public.monthly_quota(p_user_id)
$$;

revoke execute on function public.monthly_quota(uuid), public.charge_characters(uuid, integer),
  public.has_quota_for(uuid, integer) from public, anon, authenticated;
grant execute on function public.monthly_quota(uuid), public.charge_characters(uuid, integer),
  public.has_quota_for(uuid, integer) to service_role;
