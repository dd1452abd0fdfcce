import type { BuildInputs } from './inputs';

/** The extension's manifest for a stack: minimal permissions, the API's host only, strict CSP. */
export function manifest({ stack, supabaseUrl, version }: BuildInputs) {
  const api = new URL(supabaseUrl);
  return {
    manifest_version: 3,
    name: stack === 'prod' ? 'Read Aloud' : `Read Aloud (${stack})`,
    description: 'Reads the selection or the page aloud, highlighting each word as it is spoken.',
    version,
    minimum_chrome_version: '116',
    permissions: ['activeTab', 'scripting', 'storage', 'contextMenus', 'offscreen'],
    // The API has no CORS headers for extensions: its host is the only one the extension needs.
    host_permissions: [`${api.protocol}//${api.hostname}/*`],
    background: { service_worker: 'background.js' },
    action: { default_popup: 'popup.html', default_title: 'Read aloud' },
    commands: {
      'read-aloud': {
        suggested_key: { default: 'Alt+Shift+R' },
        description: 'Read the selection, or the page, aloud',
      },
    },
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'",
    },
  };
}
