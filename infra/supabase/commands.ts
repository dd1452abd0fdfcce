/** Applies pending migrations to the stack's database; the URL carries the password. */
export const MIGRATIONS_COMMAND =
  'npx --no-install supabase db push --db-url "$SUPABASE_DB_URL" --yes';

/** Uploads every function to the Management API (which bundles it), rerunning transient failures. */
export const FUNCTIONS_COMMAND = 'node --import tsx infra/supabase/deploy-functions.ts';

/** The versions the functions command printed; none from a deploy made before it printed them. */
export function recordedVersions(stdout: string | undefined): Record<string, number> {
  try {
    const parsed = JSON.parse(stdout ?? '') as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, number>)
      : {};
  } catch {
    return {};
  }
}

/** The direct connection string of a hosted project's database. */
export const databaseUrl = (projectRef: string, password: string) =>
  `postgresql://postgres:${encodeURIComponent(password)}@db.${projectRef}.supabase.co:5432/postgres`;
