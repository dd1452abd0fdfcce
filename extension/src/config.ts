/** The per-stack settings the build stamps in (see build/build.ts). */
export interface ExtensionConfig {
  stack: string;
  /** The stack's Supabase URL: the API base. */
  apiBase: string;
  /** The stack's publishable anon key. */
  anonKey: string;
  /** The stack's site, where plans are upgraded. */
  siteUrl: string;
  version: string;
  /** Test builds record each highlight for the end-to-end tests to read. */
  testHooks: boolean;
}

declare const __CONFIG__: ExtensionConfig;
export const config: ExtensionConfig = __CONFIG__;
