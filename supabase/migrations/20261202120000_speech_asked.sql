-- Speech is cached on its second request, not its first: most text is read aloud once, and each
-- answer is tens of kilobytes that the database would keep for weeks for nobody. speech_asked
-- remembers which speech has been asked for once; tts writes an answer to speech_answers only
-- when its key is already here.
create unlogged table public.speech_asked (
  key text primary key check (key ~ '^[0-9a-f]{64}$'),
  asked_at timestamptz not null default now()
);
alter table public.speech_asked enable row level security;
grant all on public.speech_asked to service_role;

-- A text not asked for again within the cache's window starts over as a first request.
select cron.schedule('purge-speech-asked', '35 3 * * *',
  $$select private.purge_older_than('public.speech_asked', 'asked_at', 'speech_cache_unused_days')$$);
