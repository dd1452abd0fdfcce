/** What a secret value reads as in any error or log line. */
export const REDACTED = '[secret]';

// An API that echoes a request back quotes a value as sent, inside a JSON string, or URL-encoded.
const echoedForms = (value: string) => [
  value,
  JSON.stringify(value).slice(1, -1),
  encodeURIComponent(value),
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with every occurrence of every secret value replaced by REDACTED: the one redaction of
 * errors and logs for every client (Supabase, Hugging Face, Chrome Web Store, Stripe).
 */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  const forms = [...new Set([...secrets].flatMap((value) => (value ? echoedForms(value) : [])))]
    // Longest first, so a secret that contains another goes whole.
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return text;
  // One pass: what was replaced is never searched again, so REDACTED itself stays intact.
  return text.replace(new RegExp(forms.map(escapeRegExp).join('|'), 'g'), () => REDACTED);
}
