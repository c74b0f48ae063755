import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decideProposal } from '../src/proposals/decide-proposal.js';
import { proposeFindings, type ProposalPolicy } from '../src/proposals/propose-findings.js';
import type { Finding } from '../src/scanners/finding.js';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { createProposalStore } from '../src/storage/proposal-store.js';
import { formatTable, percentile } from './table.js';

const DAY = 24 * 60 * 60 * 1000;

function planted(n: number, edited = false): Finding {
  return {
    scanner: n % 3 === 0 ? 'dependencies' : 'todo',
    rule: 'bench.planted',
    title: `Planted finding ${n}${edited ? ' (edited)' : ''}`,
    summary: `Finding ${n}.`,
    evidence: [{ path: `src/f${n}.ts`, startLine: n, endLine: n + 1, commit: 'a'.repeat(40) }],
    severity: (['critical', 'high', 'medium', 'low'] as const)[n % 4]!,
    confidence: 0.5 + (n % 50) / 100,
    suggestedTask: `Fix finding ${n}.`,
    fingerprint: `fp-${n}${edited ? '-edited' : ''}`,
  };
}

/**
 * Noise and speed of the proposals core on a file database (WAL, like production): 10 consecutive
 * scans of the same planted findings must propose each once; rejected ones stay silent until their
 * evidence changes; snoozed ones return once after a week. Then the cost of a scan's bookkeeping
 * and of one decision (click → state change + audit row + queued task).
 */
export async function runProposalsBench(findingsCount = 1000): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-bench-proposals-'));
  try {
    const db = openDatabase(path.join(dir, 'bench.db'));
    migrate(db);
    const store = createProposalStore(db);
    let t = Date.UTC(2026, 11, 2, 10);
    const now = () => t;
    const policy: ProposalPolicy = { cardBudget: 5, quietHours: { weekends: false }, minConfidence: 0.3, timeZone: 'UTC' };
    const findings = Array.from({ length: findingsCount }, (_, i) => planted(i));
    const scanMs: number[] = [];
    const proposedPerScan: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      const r = proposeFindings({ repoId: 'bench', channel: 'C1', findings }, { store, policy, now });
      scanMs.push(performance.now() - start);
      proposedPerScan.push(r.cards.length + r.deck.length);
      t += 60_000;
    }
    const deps = { store, policy: { approvers: [], allowSelfApproval: false, executor: 'codex' }, now };
    const pending = store.listPending({ limit: 300 });
    const decideMs: number[] = [];
    for (const [i, p] of pending.entries()) {
      const start = performance.now();
      await decideProposal({ proposalId: p.id, userId: 'U1', action: i % 3 === 0 ? 'approve' : i % 3 === 1 ? 'reject' : 'snooze', surface: 'slack' }, deps);
      decideMs.push(performance.now() - start);
    }
    const rejected = pending.filter((_, i) => i % 3 === 1).length;
    const snoozed = pending.filter((_, i) => i % 3 === 2).length;
    const rescan = proposeFindings({ repoId: 'bench', channel: 'C1', findings }, { store, policy, now });
    t += 7 * DAY;
    const afterSnooze = proposeFindings({ repoId: 'bench', channel: 'C1', findings }, { store, policy, now });
    const editedRejected = pending.filter((_, i) => i % 3 === 1).map((p) => planted(Number(p.fingerprint.slice(3)), true));
    const afterEdit = proposeFindings({ repoId: 'bench', channel: 'C1', findings: [...findings, ...editedRejected] }, { store, policy, now });
    db.close();
    scanMs.sort((a, b) => a - b);
    decideMs.sort((a, b) => a - b);
    const rows: (string | number)[][] = [
      ['findings proposed over 10 scans of the same findings', proposedPerScan.reduce((a, b) => a + b, 0), `${findingsCount} (each once)`],
      ['re-posts in scans 2-10', proposedPerScan.slice(1).reduce((a, b) => a + b, 0), 0],
      [`re-scan after ${rejected} rejects, ${snoozed} snoozes`, rescan.cards.length + rescan.deck.length, 0],
      ['re-scan a week later (snoozes over)', afterSnooze.cards.length + afterSnooze.deck.length, snoozed],
      [`re-scan with the ${rejected} rejected findings edited`, afterEdit.cards.length + afterEdit.deck.length, rejected],
      [`scan bookkeeping, ${findingsCount} findings (ms p50 / max)`, `${scanMs[5]!.toFixed(1)} / ${scanMs.at(-1)!.toFixed(1)}`, '< 1000 (scan goal)'],
      [`decide() per click (ms p50 / p99, n=${decideMs.length})`, `${percentile(decideMs, 0.5).toFixed(2)} / ${percentile(decideMs, 0.99).toFixed(2)}`, 'Slack ack deadline 3000'],
    ];
    return `proposals (noise and cost; file database, WAL)\n${formatTable(['measure', 'ours', 'anchor / goal'], rows)}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
