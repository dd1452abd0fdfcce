-- The API roles (anon, authenticated) get only what a policy or the extension needs. The
-- platform's default privileges gave them every right on each new sequence, table and function in
-- public; with UPDATE on error_reports' sequence any signed-in user could setval() it and break
-- every later insert of log-error.
revoke all on all sequences in schema public from anon, authenticated;

-- New objects in public start with no rights for the API roles: each migration grants what it means.
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on functions from anon, authenticated;
