/** One JSON line per event, as the platform's log explorer indexes them; never request bodies. */
export function log(level: 'error' | 'warn', event: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === 'error') console.error(line);
  else console.warn(line);
}
