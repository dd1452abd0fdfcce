import { parseArgs } from 'node:util';
import { buildExtension } from './build';

const USAGE = `usage: npm run build -w extension -- [--stack NAME] [--supabase-url URL] [--anon-key KEY] [--version X.Y.Z] [--site-url URL]
Without flags it builds the "local" stack for the local backend (npm run dev:backend); SUPABASE_URL and
SUPABASE_ANON_KEY in the environment override its defaults. Any other stack needs every value.`;

// What the local backend answers to: its gateway ignores the anon key.
const LOCAL = {
  supabaseUrl: process.env.SUPABASE_URL ?? 'http://127.0.0.1:54321',
  anonKey: process.env.SUPABASE_ANON_KEY ?? 'local-anon-key',
  version: '0.0.0',
  siteUrl: 'http://localhost:3000',
};

async function main() {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string', default: 'local' },
      'supabase-url': { type: 'string' },
      'anon-key': { type: 'string' },
      version: { type: 'string' },
      'site-url': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return console.log(USAGE);
  const local = values.stack === 'local';
  const pick = (flag: keyof typeof values, fallback: string) => {
    const value = values[flag] as string | undefined;
    if (value !== undefined) return value;
    if (local) return fallback;
    throw new Error(`--${flag} is required for stack ${values.stack}\n${USAGE}`);
  };
  const { dir } = await buildExtension({
    stack: values.stack!,
    supabaseUrl: pick('supabase-url', LOCAL.supabaseUrl),
    anonKey: pick('anon-key', LOCAL.anonKey),
    version: pick('version', LOCAL.version),
    siteUrl: pick('site-url', LOCAL.siteUrl),
  });
  console.log(`built ${dir}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
