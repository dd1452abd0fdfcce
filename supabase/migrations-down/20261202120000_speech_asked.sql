-- Undoes 20261202120000_speech_asked.sql. Earlier releases of tts cache every miss.
select cron.unschedule('purge-speech-asked');
drop table public.speech_asked;
