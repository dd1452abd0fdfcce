// The one place the functions read their environment. Each name is a literal so a contract test
// can list them: every one is a Supabase default (SUPABASE_*) or a secret the stacks set.
const VARIABLES = {
  SUPABASE_URL: () => Deno.env.get('SUPABASE_URL'),
  SUPABASE_DB_URL: () => Deno.env.get('SUPABASE_DB_URL'),
  SUPABASE_JWKS: () => Deno.env.get('SUPABASE_JWKS'),
  HF_ENDPOINT_URL: () => Deno.env.get('HF_ENDPOINT_URL'),
  HF_TOKEN: () => Deno.env.get('HF_TOKEN'),
  STRIPE_WEBHOOK_SECRET: () => Deno.env.get('STRIPE_WEBHOOK_SECRET'),
};

export type EnvName = keyof typeof VARIABLES;

/** Reads the named variables, or fails at start naming every one that is missing or empty. */
export function requireEnv<N extends EnvName>(...names: N[]): Record<N, string> {
  const values = {} as Record<N, string>;
  const missing: N[] = [];
  for (const name of names) {
    const value = VARIABLES[name]()?.trim();
    if (value) values[name] = value;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw new Error(
      `missing environment variable(s): ${missing.join(', ')}; set them as function secrets`,
    );
  }
  return values;
}
