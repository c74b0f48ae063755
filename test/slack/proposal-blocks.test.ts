import { describe, expect, it } from 'vitest';
import type { Proposal, TaskSummary, DecisionRecord } from '../../src/proposals/types.js';
import type { Evidence, Finding } from '../../src/scanners/finding.js';
import { buildHomeDeck } from '../../src/slack/blocks/home-deck.js';
import { buildProposalCard } from '../../src/slack/blocks/proposal-card.js';
import { buildProposalDetailsModal } from '../../src/slack/blocks/proposal-details-modal.js';
import { PROPOSAL_ACTIONS } from '../../src/slack/blocks/proposal-parts.js';
import { messageViolations, modalViolations, blockKitViolations, VIEW } from './block-kit-limits.js';

const SHA = 'c0ffee'.padEnd(40, '0');
const github = { label: 'acme/api', github: { owner: 'acme', name: 'api', webUrl: 'https://github.com' } };
const local = { label: 'api' };

function proposal(over: Partial<Proposal> = {}, finding: Partial<Finding> = {}): Proposal {
  const f: Finding = {
    scanner: 'todo',
    rule: 'todo.fixme',
    title: 'FIXME: retry the webhook on 5xx',
    summary: 'The webhook sender gives up after one **5xx**; `Promise<void>` callers never learn.',
    evidence: [{ path: 'src/hooks/send.ts', startLine: 10, endLine: 12, commit: SHA, excerpt: '// FIXME: retry' }],
    severity: 'high',
    confidence: 0.82,
    suggestedTask: 'Retry with backoff in `sendWebhook` and add a test.',
    fingerprint: 'fp-1',
    size: 's',
    ...finding,
  };
  return {
    id: 12, repoId: 'acme/api', scanner: f.scanner, rule: f.rule, fingerprint: f.fingerprint, title: f.title, finding: f,
    severity: f.severity, confidence: f.confidence, state: 'pending', createdAt: 0, updatedAt: 0, proposedAt: 0, ...over,
  };
}

/** Everything as long as it can get: 160-char title, 50 kB texts, 500 evidence items with 5 kB excerpts. */
function huge(): Proposal {
  const evidence: Evidence[] = Array.from({ length: 500 }, (_, i) => ({
    path: `src/${'deep/'.repeat(60)}file-${i}.ts`,
    startLine: i + 1,
    endLine: i + 40,
    commit: SHA,
    excerpt: `${'x <!channel> & y '.repeat(300)}\`\`\``,
    label: 'L'.repeat(500),
  }));
  const text = `Intro <!here> & <@U123>\n\n\`\`\`ts\n${'const a = 1;\n'.repeat(4000)}\`\`\`\n\n${'word '.repeat(10_000)}`;
  return proposal(
    { id: 987654321, title: 'T'.repeat(600), writeup: { title: `${'W'.repeat(160)}\nsecond line`, why: text, plan: text, acceptance: text, source: 'llm' } },
    { title: 'T'.repeat(600), summary: text, suggestedTask: text, evidence, rule: 'r'.repeat(400), scanner: 's'.repeat(300), meta: {} },
  );
}

const actionIds = (blocks: readonly unknown[]) =>
  blocks.flatMap((b) => ((b as { type: string; elements?: { action_id?: string }[] }).type === 'actions' ? (b as { elements: { action_id: string }[] }).elements.map((e) => e.action_id) : []));

describe('proposal card', () => {
  it('shows title, facts, why with a pinned GitHub permalink, the task and the four buttons', () => {
    const card = buildProposalCard({ proposal: proposal(), repo: github });
    expect(messageViolations(card)).toEqual([]);
    expect(card.text).toBe('New proposal for acme/api: FIXME: retry the webhook on 5xx');
    expect(card.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'FIXME: retry the webhook on 5xx', emoji: true } });
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('*acme/api* · todo · confidence 82% · size S · severity high');
    expect(json).toContain(`<https://github.com/acme/api/blob/${SHA}/src/hooks/send.ts#L10-L12|src/hooks/send.ts:10-12>`);
    expect(json).toContain('*5xx*');
    expect(json).toContain('`Promise&lt;void&gt;`');
    expect(actionIds(card.blocks)).toEqual([PROPOSAL_ACTIONS.approve, PROPOSAL_ACTIONS.reject, PROPOSAL_ACTIONS.snooze, PROPOSAL_ACTIONS.details]);
    const actions = card.blocks.at(-1) as { block_id: string; elements: { value: string; style?: string; text: { text: string } }[] };
    expect(actions.block_id).toBe('proposal:12');
    expect(actions.elements.map((e) => e.value)).toEqual(['12', '12', '12', '12']);
    expect(actions.elements[0]!.style).toBe('primary');
    expect(actions.elements[2]!.text.text).toBe('Snooze a week');
  });

  it('uses path:lines for a local repository and the link label for a URL', () => {
    const card = buildProposalCard({
      proposal: proposal({}, { evidence: [{ path: 'a.ts', startLine: 3, endLine: 3, commit: SHA }, { url: 'https://ci.example/run/1', label: 'job `test` failed' }] }),
      repo: local,
    });
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('`a.ts:3`');
    expect(json).toContain('<https://ci.example/run/1|job `test` failed>');
  });

  it('replaces the buttons with who decided what', () => {
    const cases: [Partial<Proposal>, string][] = [
      [{ state: 'approved', decidedBy: 'U7', taskId: 5 }, ':white_check_mark: Approved by <@U7> — queued as task #5'],
      [{ state: 'rejected', decidedBy: 'U7', decisionReason: 'not worth it' }, ':x: Rejected by <@U7> (not worth it)'],
      [{ state: 'snoozed', decidedBy: 'U7', snoozeUntil: Date.UTC(2026, 11, 9) }, ':zzz: Snoozed by <@U7> until <!date^1796774400^{date_short_pretty}|2026-12-09>'],
      [{ state: 'stale', decidedBy: 'U7', decisionReason: 'already resolved on main' }, ':broom: Stale — already resolved on main (checked when <@U7> approved)'],
    ];
    for (const [over, line] of cases) {
      const card = buildProposalCard({ proposal: proposal(over), repo: github });
      expect(messageViolations(card)).toEqual([]);
      expect(actionIds(card.blocks)).toEqual([]);
      expect(card.blocks.at(-1)).toMatchObject({ type: 'section', text: { text: line } });
    }
    expect(buildProposalCard({ proposal: proposal({ state: 'approved', taskId: 5 }), repo: github }).text).toBe('Approved, queued as task #5: FIXME: retry the webhook on 5xx');
  });

  it('keeps every Block Kit limit with huge inputs, escapes mentions and balances code fences', () => {
    for (const state of ['pending', 'approved', 'rejected', 'snoozed', 'stale', 'expired'] as const) {
      const p = { ...huge(), state, decidedBy: 'U'.repeat(300), decisionReason: 'r'.repeat(5000), taskId: 99, snoozeUntil: 1 };
      for (const repo of [github, local, { label: 'L'.repeat(1000) }]) {
        const card = buildProposalCard({ proposal: p, repo });
        expect(messageViolations(card)).toEqual([]);
        const json = JSON.stringify(card.blocks);
        expect(json).not.toContain('<!channel>');
        expect(json).not.toContain('<!here>');
        for (const b of card.blocks) {
          const t = (b as { text?: { text: string } }).text?.text;
          if (t) expect((t.split('```').length - 1) % 2).toBe(0);
        }
      }
    }
    expect(buildProposalCard({ proposal: huge(), repo: github }).blocks.some((b) => JSON.stringify(b).includes('more in Details'))).toBe(true);
  });
});

describe('proposal details modal', () => {
  it('shows the plan, the acceptance check, the evidence with excerpts and the executor', () => {
    const modal = buildProposalDetailsModal({ proposal: proposal(), repo: github, executor: 'codex' });
    expect(modalViolations(modal)).toEqual([]);
    expect(modal.title.text).toBe('Proposal #12');
    const json = JSON.stringify(modal.blocks);
    expect(json).toContain('*Plan*');
    expect(json).toContain('*Acceptance check*');
    expect(json).toContain('*codex*');
    expect(json).toContain('// FIXME: retry');
  });

  it('keeps modal limits with huge inputs', () => {
    for (const executor of ['codex', 'github-issue', 'x'.repeat(500)]) {
      const modal = buildProposalDetailsModal({ proposal: { ...huge(), state: 'rejected', decisionReason: 'no '.repeat(3000) }, repo: github, executor });
      expect(modalViolations(modal)).toEqual([]);
      expect(JSON.stringify(modal.blocks)).not.toContain('<!channel>');
    }
  });
});

describe('home deck', () => {
  const decisions: DecisionRecord[] = Array.from({ length: 200 }, (_, i) => ({
    id: i, proposalId: i, proposalTitle: `Proposal ${i} ${'t'.repeat(300)}`, userId: `U${i}`, action: (['approve', 'reject', 'snooze'] as const)[i % 3]!,
    surface: 'slack', fromState: 'pending', toState: 'approved', createdAt: 1_700_000_000_000,
  }));
  const tasks: TaskSummary[] = Array.from({ length: 200 }, (_, i) => ({
    id: i, proposalId: i, repoId: 'r', title: `Task ${i} ${'t'.repeat(300)}`, status: (['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const)[i % 5]!,
    executor: 'codex', attempts: 1, maxAttempts: 3, lastError: 'boom '.repeat(100), createdAt: 0, updatedAt: 0,
  }));

  it('shows one card at a time with its position, Skip, then decisions and tasks', () => {
    const view = buildHomeDeck({ current: { proposal: proposal(), repo: github }, position: 3, total: 12, recentDecisions: decisions.slice(0, 2), tasks: tasks.slice(0, 2) });
    expect(blockKitViolations(view.blocks, VIEW)).toEqual([]);
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('3 of 12 waiting for a decision');
    expect(actionIds(view.blocks)).toEqual([PROPOSAL_ACTIONS.approve, PROPOSAL_ACTIONS.reject, PROPOSAL_ACTIONS.snooze, PROPOSAL_ACTIONS.details, PROPOSAL_ACTIONS.skip]);
    expect(json).toContain(':white_check_mark: <@U0> approved *Proposal 0');
    expect(json).toContain(':inbox_tray: #0 queued · codex · Task 0');
  });

  it('says when nothing is waiting', () => {
    const view = buildHomeDeck({ position: 0, total: 0, recentDecisions: [], tasks: [] });
    expect(JSON.stringify(view.blocks)).toContain('Nothing is waiting for a decision');
    expect(actionIds(view.blocks)).toEqual([]);
  });

  it('keeps Home limits (≤100 blocks, section sizes) with huge inputs and a long intro', () => {
    const intro = Array.from({ length: 90 }, () => ({ type: 'divider' as const }));
    const view = buildHomeDeck({ current: { proposal: huge(), repo: github }, position: 1, total: 5000, recentDecisions: decisions, tasks, intro });
    expect(blockKitViolations(view.blocks, VIEW)).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain('more');
  });
});

describe('the limit checker itself', () => {
  it('flags each kind of violation', () => {
    const bad = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      { type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: 's'.repeat(3001) } },
      { type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: 'ok' } },
      { type: 'actions', elements: [{ type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'b'.repeat(76) }, value: 'v'.repeat(2001) }, { type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'ok' } }] },
      { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
      ...Array.from({ length: 50 }, () => ({ type: 'divider' })),
    ];
    const v = messageViolations({ text: '', blocks: bad });
    for (const expected of ['header text 151', 'section text 3001', 'duplicate block_id a', 'button text 76', 'button value > 2000', 'duplicate action_id x', '11 context elements', '55 blocks > 50', 'fallback text length 0']) {
      expect(v.some((x) => x.includes(expected)), expected).toBe(true);
    }
    expect(modalViolations({ title: { text: 't'.repeat(25) }, blocks: [] })).toEqual(['modal title 25 > 24']);
  });
});
