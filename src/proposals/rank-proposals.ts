import type { Severity } from '../scanners/finding.js';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

interface Rankable {
  readonly id: number;
  readonly severity: Severity;
  readonly confidence: number;
  /** When it was first proposed: older first among equals (it has waited longest). */
  readonly createdAt: number;
  readonly finding: { readonly meta?: Readonly<Record<string, string | number | boolean | null>> };
}

/**
 * Best first: severity, then confidence, then age — a scanner's own age (`meta.ageDays`, e.g. a
 * TODO's blame age) before the proposal's, so an old TODO outranks a fresh one of equal weight.
 */
export function rankProposals<T extends Rankable>(items: readonly T[]): T[] {
  const ageDays = (p: T) => (typeof p.finding.meta?.ageDays === 'number' ? p.finding.meta.ageDays : 0);
  return [...items].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.confidence - a.confidence ||
      ageDays(b) - ageDays(a) ||
      a.createdAt - b.createdAt ||
      a.id - b.id,
  );
}
