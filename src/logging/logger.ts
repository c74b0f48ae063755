import pino, { type Logger, type DestinationStream } from 'pino';
import { scrubSecrets, scrubValue } from './scrub.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level: string;
  /** Defaults to stderr so stdout stays clean for `--json` output and the console. */
  readonly destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions): Logger {
  const logger = pino(
    {
      level: opts.level,
      base: { app: 'teammate' },
      redact: {
        paths: [
          'token',
          '*.token',
          'headers.authorization',
          '*.headers.authorization',
          'req.headers.authorization',
          'config.slack.botToken',
          'config.slack.appToken',
          'config.slack.signingSecret',
          'config.llm.apiKey',
          'config.github.token',
        ],
        censor: '[REDACTED]',
      },
      formatters: {
        log: (obj) => scrubValue(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      serializers: { err: (e: unknown) => scrubValue(e) },
    },
    opts.destination ?? pino.destination({ fd: 2, sync: false }),
  );
  // Child-logger fields (`logger.child({ question })`) go on every line, and pino applies no
  // formatter to a child's bindings: scrub them on the way in. Children inherit this method.
  const child = logger.child; // unbound: a grandchild must keep its parent's fields
  const scrubbedChild = function (this: Logger, bindings: Parameters<Logger['child']>[0], options?: Parameters<Logger['child']>[1]) {
    return child.call(this, scrubValue(bindings) as typeof bindings, options);
  };
  logger.child = scrubbedChild as Logger['child'];
  return logger;
}

/** For tests and library use: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
