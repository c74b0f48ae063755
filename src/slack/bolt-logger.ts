import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';

function line(msg: unknown[]): string {
  return msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
}

/** Bolt and the socket-mode client log through our pino logger (so scrubbing and levels apply). */
export function toBoltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'bolt' });
  return {
    debug: (...msg: unknown[]) => log.debug(line(msg)),
    info: (...msg: unknown[]) => log.info(line(msg)),
    warn: (...msg: unknown[]) => log.warn(line(msg)),
    error: (...msg: unknown[]) => log.error(line(msg)),
    setLevel: () => undefined,
    getLevel: () => (log.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.INFO),
    setName: () => undefined,
  };
}
