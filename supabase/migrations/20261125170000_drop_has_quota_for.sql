-- tts now charges before it calls the endpoint, in the statement that looks up the cache, so
-- nothing asks any more whether characters would fit without charging them.
drop function public.has_quota_for(uuid, integer);
