-- Undoes 20261201161500_api_role_privileges.sql: the platform's default grants to the API roles.
alter default privileges in schema public grant all on functions to anon, authenticated;
alter default privileges in schema public grant all on tables to anon, authenticated;
alter default privileges in schema public grant all on sequences to anon, authenticated;

grant all on all sequences in schema public to anon, authenticated;
