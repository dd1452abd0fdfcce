export type LogFields = Record<string, string | number | boolean | undefined>;
export type Logger = (level: 'info' | 'warn' | 'error', msg: string, fields?: LogFields) => void;

// One JSON object per line on stdout, for the endpoint's log viewer; callers never pass request text.
export const jsonLogger: Logger = (level, msg, fields) => {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`,
  );
};
