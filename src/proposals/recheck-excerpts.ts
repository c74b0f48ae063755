import type { RecheckEvidence } from './decide-proposal.js';

/**
 * A default evidence re-check for findings that quote code (TODOs, review comments): the evidence
 * is still there if any quoted file at HEAD still contains the excerpt's first meaningful line
 * (lines may have moved; that is fine). A finding with nothing checkable (a CI run, an advisory)
 * counts as present — its scanner has to supply a better re-check. Reading fails loudly (the
 * decision is then reported as not re-checkable), a missing file means the evidence is gone.
 */
export function recheckByExcerpt(readAtHead: (path: string) => Promise<string | undefined>): RecheckEvidence {
  return async (finding) => {
    const checkable = finding.evidence.filter((e) => e.path && keyLine(e.excerpt));
    if (checkable.length === 0) return true;
    for (const e of checkable) {
      const content = await readAtHead(e.path!);
      if (content !== undefined && normalize(content).includes(keyLine(e.excerpt)!)) return true;
    }
    return false;
  };
}

/** The first line with real content, whitespace-collapsed (indentation changes do not count). */
function keyLine(excerpt: string | undefined): string | undefined {
  const line = (excerpt ?? '')
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .find((l) => l.length >= 3 && !/^[….]+$/.test(l));
  return line || undefined;
}

function normalize(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .join('\n');
}
