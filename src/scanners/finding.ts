/**
 * A finding: what one scanner saw in one repository. Core data shared by scanners (which produce
 * findings) and proposals (which turn them into cards); no vendor types.
 */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Rough size of the suggested work, shown on the card. */
export type SizeEstimate = 'xs' | 's' | 'm' | 'l';

export interface Evidence {
  /** Repository-relative path, when the evidence is a place in the code. */
  readonly path?: string;
  readonly startLine?: number;
  readonly endLine?: number;
  /** The commit the lines are pinned to, for permalinks. */
  readonly commit?: string;
  /** A short excerpt of what was seen (already scrubbed of secrets). */
  readonly excerpt?: string;
  /** A link when the evidence is not a file: a CI run, an issue, an advisory. */
  readonly url?: string;
  /** What the link or place is, for people: "job `test` failed", "lodash 4.17.20 → 4.17.21". */
  readonly label?: string;
}

export interface Finding {
  /** The scanner that produced it: `todo`, `dependencies`, `ci`, `issues`, `review`. */
  readonly scanner: string;
  /** The scanner's rule, e.g. `todo.fixme`, `dependencies.minor-group`, `ci.failing-workflow`. */
  readonly rule: string;
  /** One line, at most 150 characters. */
  readonly title: string;
  /** Why it matters, neutral Markdown. */
  readonly summary: string;
  readonly evidence: readonly Evidence[];
  readonly severity: Severity;
  /** 0..1: how sure the scanner is that this is worth doing. */
  readonly confidence: number;
  /** The task a coding agent or a person would do, neutral Markdown. */
  readonly suggestedTask: string;
  /**
   * Stable while the evidence is unchanged (a TODO that only moved lines keeps it), new when the
   * evidence changes (edited TODO text, a newer target version): proposal memory is keyed on it.
   */
  readonly fingerprint: string;
  readonly size?: SizeEstimate;
  /** Scanner-specific facts (blame author and age, versions, run ids) for ranking and details. */
  readonly meta?: Readonly<Record<string, string | number | boolean | null>>;
}
