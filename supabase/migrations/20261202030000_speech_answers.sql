-- A hit from Postgres cost the database a base64 encode of the audio and tts a JSON.stringify of
-- it. speech_answers keeps each answer as tts sent it, so a hit only reads it back.
-- speech_cache stays for the tts of earlier releases, which a rollback runs on this schema.
-- Nothing writes it any more, so its purge job empties it within speech_cache_unused_days; drop
-- it once no release that reads it can be rolled back to.
create unlogged table public.speech_answers (
  key text primary key check (key ~ '^[0-9a-f]{64}$'),
  voice text not null,
  speed real not null,
  model_version text not null,
  -- The JSON body tts answered with: {"audio": {"mime", "data"}, "words", "durationMs"}.
  answer text not null,
  hits integer not null default 0,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now()
);
-- Base64 audio gains little from pglz, which would try on every write.
alter table public.speech_answers alter column answer set storage external;
create index speech_answers_last_used_at on public.speech_answers (last_used_at);
alter table public.speech_answers enable row level security;
grant all on public.speech_answers to service_role;

-- What was cached stays cached.
insert into public.speech_answers
  (key, voice, speed, model_version, answer, hits, created_at, last_used_at)
select key, voice, speed, model_version,
  json_build_object(
    'audio', json_build_object('mime', mime, 'data', translate(encode(audio, 'base64'), E'\n', '')),
    'words', words,
    'durationMs', duration_ms
  )::text,
  hits, created_at, last_used_at
from public.speech_cache;

select cron.schedule('purge-speech-answers', '25 3 * * *',
  $$select private.purge_older_than('public.speech_answers', 'last_used_at', 'speech_cache_unused_days')$$);
