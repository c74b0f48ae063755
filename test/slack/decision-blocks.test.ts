/** The decided card's reason menu and the settings modal: pure builders, within Slack's limits. */
import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../src/proposals/types.js';
import { DECISION_REASONS, buildDecidedCard } from '../../src/slack/blocks/decided-card.js';
import { SETTINGS_MAX_REPOS, buildSettingsModal, formatQuietHours } from '../../src/slack/blocks/settings-modal.js';
import { readSettingsSubmission } from '../../src/slack/listeners/register-settings-listener.js';
import { finding } from '../proposals/fixtures.js';
import { messageViolations, modalViolations } from './block-kit-limits.js';

function proposal(over: Partial<Proposal>): Proposal {
  const f = finding(1, { title: 'x'.repeat(5000), summary: 'y'.repeat(5000) });
  return { id: 7, repoId: 'acme/api', scanner: 'todo', rule: f.rule, fingerprint: f.fingerprint, title: f.title, finding: f, severity: 'high', confidence: 0.9, state: 'pending', createdAt: 1, updatedAt: 1, proposedAt: 1, ...over };
}

describe('buildDecidedCard', () => {
  it('offers the Why? menu after a reject or snooze nobody explained, and never after an approval', () => {
    const rejected = buildDecidedCard({ proposal: proposal({ state: 'rejected', decidedBy: 'U1' }), repo: { label: 'acme/api' } });
    expect(messageViolations(rejected)).toEqual([]);
    const menu = rejected.blocks.at(-1) as { block_id: string; elements: Array<{ action_id: string; options: Array<{ value: string }> }> };
    expect(menu.block_id).toBe('proposal_reason:7');
    expect(menu.elements[0]!.action_id).toBe('proposal.reason');
    expect(menu.elements[0]!.options.map((o) => o.value)).toEqual(Object.keys(DECISION_REASONS).map((k) => `7:${k}`));
    expect(JSON.stringify(rejected.blocks)).not.toContain('proposal.approve');

    const explained = buildDecidedCard({ proposal: proposal({ state: 'snoozed', decidedBy: 'U1', decisionReason: 'not now' }), repo: { label: 'acme/api' } });
    expect(JSON.stringify(explained.blocks)).not.toContain('proposal.reason');
    const approved = buildDecidedCard({ proposal: proposal({ state: 'approved', decidedBy: 'U1', taskId: 3 }), repo: { label: 'acme/api' } });
    expect(JSON.stringify(approved.blocks)).not.toContain('proposal.reason');
    expect(JSON.stringify(approved.blocks)).toContain('queued as task #3');
  });
});

describe('buildSettingsModal', () => {
  it('stays within modal limits with many repositories and round-trips a submission', () => {
    const repos = Array.from({ length: 60 }, (_, i) => ({ id: `/srv/${'deep/'.repeat(30)}repo-${i}`, label: `repo-${i}` }));
    const scanners = ['ci', 'dependencies', 'review', 'issues', 'todo'];
    const modal = buildSettingsModal({ approvers: ['U1'], cardBudget: 5, quietHours: '19-08,weekends', repos, scanners, scannersOff: { [repos[1]!.id]: ['review'] } });
    expect(modalViolations(modal)).toEqual([]);
    // As many repositories as private_metadata can name (long paths here), never more than the cap.
    const shown = (JSON.parse(modal.private_metadata!) as { repos: string[] }).repos;
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThanOrEqual(SETTINGS_MAX_REPOS);
    expect(modal.blocks).toHaveLength(3 + shown.length);

    const values: Record<string, unknown> = {
      approvers: { value: { selected_users: ['U2'] } },
      card_budget: { value: { value: '2' } },
      quiet_hours: { value: { value: '' } },
      'scanners:1': { value: { selected_options: [{ value: 'todo' }] } },
    };
    const read = readSettingsSubmission(values, modal.private_metadata!, scanners);
    if ('errors' in read) throw new Error(JSON.stringify(read.errors));
    expect(read.settings).toMatchObject({ approvers: ['U2'], cardBudget: 2, quietHours: 'off' });
    expect(read.settings.scannersOff?.[repos[1]!.id]).toEqual(['ci', 'dependencies', 'review', 'issues']);
    expect(formatQuietHours({ hours: { start: 19, end: 8 }, weekends: true })).toBe('19-08,weekends');
    expect(formatQuietHours({ weekends: false })).toBe('off');
  });
});
