/** Applies pending migrations to the stack's database; the URL carries the password. */
export const MIGRATIONS_COMMAND =
  'npx --no-install supabase db push --db-url "$SUPABASE_DB_URL" --yes';

/** Uploads every function to the Management API (which bundles it), rerunning transient failures. */
export const FUNCTIONS_COMMAND = 'node --import tsx infra/supabase/deploy-functions.ts';

/** The direct connection string of a hosted project's database. */
export const databaseUrl = (projectRef: string, password: string) =>
  `postgresql://postgres:${encodeURIComponent(password)}@db.${projectRef}.supabase.co:5432/postgres`;
