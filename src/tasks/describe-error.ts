import { scrubSecrets } from '../logging/scrub.js';

/** One short, scrubbed line for last_error and the status message (never a token, never a stack). */
export function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = message.replace(/\s+/g, ' ').trim() || 'unknown error';
  return scrubSecrets(line.length > 500 ? `${line.slice(0, 497)}...` : line);
}
