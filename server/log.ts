/**
 * One-line logs on stderr: `<iso time> <level> <event> key=value ...`.
 * stdout is reserved for the "listening" line that scripts and tests parse.
 * Never pass credentials or client addresses here: speak-up reports are
 * anonymous, so the relay must not record who connected from where.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;
export type Logger = (level: 'info' | 'warn' | 'error', event: string, fields?: LogFields) => void;

const quote = (v: string) => (/^[\w.:/@-]*$/.test(v) && v !== '' ? v : JSON.stringify(v));

export const log: Logger = (level, event, fields = {}) => {
  let line = `${new Date().toISOString()} ${level} ${event}`;
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined) line += ` ${k}=${typeof v === 'string' ? quote(v) : String(v)}`;
  }
  process.stderr.write(line + '\n');
};
