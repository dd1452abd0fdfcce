import { createClient } from '@supabase/supabase-js';
import { chromeStorageAdapter, type StorageArea } from './storage';

/** Where the session lives in the storage area. */
export const SESSION_KEY = 'read-aloud-session';

/**
 * Supabase Auth for the extension. A service worker's timers stop while it sleeps, so instead of
 * supabase-js's background refresh, every call asks for the token first, and getSession refreshes
 * a token that expires within the next 90 seconds.
 */
export function createAuth(apiBase: string, anonKey: string, area: StorageArea) {
  const { auth } = createClient(apiBase, anonKey, {
    auth: {
      storage: chromeStorageAdapter(area),
      storageKey: SESSION_KEY,
      persistSession: true,
      autoRefreshToken: false,
      detectSessionInUrl: false,
    },
  });
  const failOn = <T extends { error: Error | null }>(result: T): T => {
    if (result.error) throw result.error;
    return result;
  };
  return {
    async accessToken(): Promise<string | undefined> {
      const { data } = failOn(await auth.getSession());
      return data.session?.access_token;
    },
    async email(): Promise<string | undefined> {
      const { data } = failOn(await auth.getSession());
      return data.session?.user.email;
    },
    /** Emails a one-time sign-in code: no redirect, so it works from any extension page. */
    async sendCode(email: string): Promise<void> {
      failOn(await auth.signInWithOtp({ email, options: { shouldCreateUser: true } }));
    },
    async verifyCode(email: string, code: string): Promise<void> {
      failOn(await auth.verifyOtp({ email, token: code, type: 'email' }));
    },
    async signOut(): Promise<void> {
      failOn(await auth.signOut({ scope: 'local' }));
    },
  };
}
export type Auth = ReturnType<typeof createAuth>;
