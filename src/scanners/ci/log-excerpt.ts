import { scrubSecrets } from '../../logging/scrub.js';

const TIMESTAMP = /^\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
const NOISE = /^##\[(?:group|endgroup)\]/;
const MAX_CHARS = 1800;

/**
 * The part of a job log worth showing: the lines around the first `##[error]` (or, without one,
 * the last lines), GitHub's timestamps and group markers removed, secrets scrubbed.
 */
export function excerptJobLog(log: string): string {
  const lines = log
    .split(/\r?\n/)
    .map((l) => l.replace(TIMESTAMP, ''))
    .filter((l) => !NOISE.test(l));
  const firstError = lines.findIndex((l) => l.startsWith('##[error]'));
  const picked = firstError >= 0 ? lines.slice(Math.max(0, firstError - 15), firstError + 5) : lines.filter((l) => l.trim() !== '').slice(-20);
  let text = scrubSecrets(picked.join('\n').trim());
  if (text.length > MAX_CHARS) text = `…${text.slice(-(MAX_CHARS - 1))}`;
  return text;
}
