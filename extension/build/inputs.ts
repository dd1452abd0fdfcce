/** The one per-stack input of a build; a release step feeds it from the stack's outputs. */
export interface BuildInputs {
  /** The stack's name; the build goes to `dist/<stack>/`. */
  stack: string;
  /** The stack's Supabase URL, which is the extension's API base. */
  supabaseUrl: string;
  /** The stack's publishable anon key. */
  anonKey: string;
  /** The version stamped into the built manifest (never committed). */
  version: string;
  /** The stack's site, where a listener upgrades their plan. */
  siteUrl: string;
}

// Chrome accepts one to four dot-separated integers from 0 to 65535, without leading zeros.
const VERSION = /^(0|[1-9]\d{0,4})(\.(0|[1-9]\d{0,4})){0,3}$/;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be a URL, e.g. https://abcd.supabase.co; got "${value}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    throw new Error(`${name} must be https (http only on 127.0.0.1 or localhost); got "${value}"`);
  }
  return url;
}

/** Throws an error naming the first bad input; the build writes nothing until these pass. */
export function checkInputs(inputs: BuildInputs): BuildInputs {
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(inputs.stack)) {
    throw new Error(`stack must be a lowercase name like "staging"; got "${inputs.stack}"`);
  }
  const api = checkUrl('supabaseUrl', inputs.supabaseUrl);
  checkUrl('siteUrl', inputs.siteUrl);
  if (inputs.anonKey.trim() === '') throw new Error('anonKey must not be empty');
  if (
    !VERSION.test(inputs.version) ||
    inputs.version.split('.').some((part) => Number(part) > 65535)
  ) {
    throw new Error(
      `version must be 1 to 4 dot-separated integers up to 65535, e.g. 1.2.3; got "${inputs.version}"`,
    );
  }
  return { ...inputs, supabaseUrl: api.origin };
}
