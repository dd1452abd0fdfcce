-- Undoes 20261202030000_speech_answers.sql. The tts of earlier releases reads speech_cache.
select cron.unschedule('purge-speech-answers');
drop table public.speech_answers;
