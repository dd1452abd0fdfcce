import type { FunctionEnvName } from './functions.ts';

/**
 * The one place the functions read their environment (each function's names are in
 * functions.ts): the named variables, or a failure at start naming every one missing or empty.
 */
export function requireEnv<N extends FunctionEnvName>(...names: N[]): Record<N, string> {
  const values = {} as Record<N, string>;
  const missing: N[] = [];
  for (const name of names) {
    const value = Deno.env.get(name)?.trim();
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
