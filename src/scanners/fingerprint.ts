import { createHash } from 'node:crypto';

/**
 * A finding's fingerprint: a hash of what identifies its evidence (never of line numbers or run
 * ids, which change without the evidence changing). The scanner name is always part of it so two
 * scanners can never collide.
 */
export function fingerprintOf(scanner: string, ...parts: readonly (string | number)[]): string {
  const h = createHash('sha256');
  h.update(scanner);
  for (const p of parts) h.update(`\0${String(p)}`);
  return `${scanner}:${h.digest('hex').slice(0, 24)}`;
}
