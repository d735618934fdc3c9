// A small levelled logger to stderr; the level comes from the configuration.
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function createLogger(
  level: (typeof LEVELS)[number] = 'info', write = (s: string): unknown => process.stderr.write(s), now: () => number = Date.now,
): Logger {
  const min = LEVELS.indexOf(level);
  const at = (l: (typeof LEVELS)[number]) => (msg: string) => {
    if (LEVELS.indexOf(l) >= min) write(`${new Date(now()).toISOString()} ${l.padEnd(5)} ${msg}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
