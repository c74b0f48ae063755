import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { proposeFindings, type ProposalPolicy } from '../../src/proposals/propose-findings.js';
import { channelPostsPaused, parseQuietHours } from '../../src/proposals/quiet-hours.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { cleanupDbs, finding, manualClock, tempDb } from './fixtures.js';

afterEach(cleanupDbs);

const WED_10 = Date.UTC(2026, 11, 2, 10); // Wednesday
const WED_20 = Date.UTC(2026, 11, 2, 20);
const THU_07 = Date.UTC(2026, 11, 3, 7, 59);
const THU_08 = Date.UTC(2026, 11, 3, 8, 0);
const SAT_10 = Date.UTC(2026, 11, 5, 10);
const policy: ProposalPolicy = { cardBudget: 5, quietHours: { hours: { start: 19, end: 8 }, weekends: true }, timeZone: 'UTC', minConfidence: 0.3 };

function setup(at = WED_10) {
  const { db } = tempDb();
  const store = createProposalStore(db);
  const clock = manualClock(at);
  return { db, store, clock };
}

describe('selecting cards for a channel', () => {
  it('posts at most the budget, best first, and sends the overflow to the deck', () => {
    const { store, clock } = setup();
    const findings = [
      finding(1, { severity: 'low', confidence: 0.9 }),
      finding(2, { severity: 'critical', confidence: 0.5 }),
      finding(3, { severity: 'medium', confidence: 0.6 }),
      finding(4, { severity: 'medium', confidence: 0.9 }),
      finding(5, { severity: 'high', confidence: 0.4 }),
      finding(6, { severity: 'info', confidence: 1 }),
      finding(7, { severity: 'medium', confidence: 0.6, meta: { ageDays: 400 } }),
      finding(8, { severity: 'medium', confidence: 0.2 }), // below the threshold
    ];
    const r = proposeFindings({ repoId: 'acme/api', channel: 'C1', findings }, { store, policy, now: clock.now });
    expect(r.cards.map((c) => c.fingerprint)).toEqual(['fp-2', 'fp-5', 'fp-4', 'fp-7', 'fp-3']);
    expect(r.deck.map((c) => c.fingerprint)).toEqual(['fp-1', 'fp-6']);
    expect(r.suppressed).toEqual({ duplicate: 0, belowThreshold: 1, budget: 2, quiet: 0 });
    expect(r.cards.every((c) => c.delivery === 'channel' && c.channel === 'C1')).toBe(true);
    expect(r.deck.every((c) => c.delivery === 'deck')).toBe(true);
    // The Home deck holds every pending one, best first, including the cards.
    expect(store.listPending().map((p) => p.fingerprint)).toEqual(['fp-2', 'fp-5', 'fp-4', 'fp-7', 'fp-3', 'fp-1', 'fp-6']);
    expect(store.countPending({ repoIds: ['acme/api'] })).toBe(7);
    expect(store.countPending({ repoIds: ['other'] })).toBe(0);
  });

  it('a scan with nothing new posts nothing and says so in its counts', () => {
    const { store, clock, db } = setup();
    proposeFindings({ repoId: 'r', channel: 'C1', findings: [finding(1)] }, { store, policy, now: clock.now });
    const again = proposeFindings({ repoId: 'r', channel: 'C1', findings: [finding(1)] }, { store, policy, now: clock.now });
    expect(again.cards).toEqual([]);
    expect(again.deck).toEqual([]);
    const empty = proposeFindings({ repoId: 'r', channel: 'C1', findings: [] }, { store, policy, now: clock.now });
    expect(empty.cards).toEqual([]);
    const runs = db.prepare('SELECT findings, new_proposals, posted, suppressed_duplicate FROM scan_runs ORDER BY id').all();
    expect(runs).toEqual([
      { findings: 1, new_proposals: 1, posted: 1, suppressed_duplicate: 0 },
      { findings: 1, new_proposals: 0, posted: 0, suppressed_duplicate: 1 },
      { findings: 0, new_proposals: 0, posted: 0, suppressed_duplicate: 0 },
    ]);
  });

  it('holds channel posts in quiet hours (wrapping midnight) and on weekends: the deck gets them', () => {
    for (const [at, paused] of [
      [WED_20, 'quiet-hours'],
      [THU_07, 'quiet-hours'],
      [SAT_10, 'weekend'],
    ] as const) {
      const { store, clock } = setup(at);
      const r = proposeFindings({ repoId: 'r', channel: 'C1', findings: [finding(1), finding(2)] }, { store, policy, now: clock.now });
      expect(r.paused).toBe(paused);
      expect(r.cards).toEqual([]);
      expect(r.deck).toHaveLength(2);
      expect(r.suppressed.quiet).toBe(2);
      expect(r.suppressed.budget).toBe(0);
      cleanupDbs();
    }
    const { store, clock } = setup(THU_08);
    expect(proposeFindings({ repoId: 'r', channel: 'C1', findings: [finding(1)] }, { store, policy, now: clock.now }).cards).toHaveLength(1);
  });

  it('without a channel everything new goes to the deck', () => {
    const { store, clock } = setup();
    const r = proposeFindings({ repoId: 'r', findings: [finding(1)] }, { store, policy, now: clock.now });
    expect(r.cards).toEqual([]);
    expect(r.deck).toHaveLength(1);
  });

  it('counts duplicates inside one scan once', () => {
    const { store, clock } = setup();
    const r = proposeFindings({ repoId: 'r', channel: 'C1', findings: [finding(1), finding(1)] }, { store, policy, now: clock.now });
    expect(r.cards).toHaveLength(1);
    expect(r.suppressed.duplicate).toBe(1);
  });
});

describe('quiet hours', () => {
  it('parses ranges, weekends and off, and explains bad input', () => {
    expect(parseQuietHours('19-08,weekends')).toEqual({ hours: { start: 19, end: 8 }, weekends: true });
    expect(parseQuietHours('12:00-13:00')).toEqual({ hours: { start: 12, end: 13 }, weekends: false });
    expect(parseQuietHours('off')).toEqual({ weekends: false });
    expect(parseQuietHours('weekends')).toEqual({ hours: undefined, weekends: true });
    expect(parseQuietHours('7pm-8am')).toMatch(/expected hours such as "19-08"/);
    expect(parseQuietHours('19-25')).toMatch(/between 0 and 23/);
  });

  it('uses the configured time zone', () => {
    const q = { hours: { start: 19, end: 8 }, weekends: true };
    // 10:00 UTC on a Wednesday is 19:00 in Tokyo: quiet there, not in UTC.
    expect(channelPostsPaused(WED_10, q, 'UTC')).toBeUndefined();
    expect(channelPostsPaused(WED_10, q, 'Asia/Tokyo')).toBe('quiet-hours');
    // Friday 23:00 in Los Angeles is already Saturday in UTC.
    const fri23LA = Date.UTC(2026, 11, 5, 7);
    expect(channelPostsPaused(fri23LA, { weekends: true }, 'America/Los_Angeles')).toBeUndefined();
    expect(channelPostsPaused(fri23LA, { weekends: true }, 'UTC')).toBe('weekend');
  });
});

describe('proposal config', () => {
  const ctx = { cwd: '/tmp', homeDir: '/home/u' };
  it('has safe defaults', () => {
    expect(loadConfig({}, ctx).proposals).toEqual({
      cardBudget: 5,
      quietHours: { hours: { start: 19, end: 8 }, weekends: true },
      approvers: [],
      allowSelfApproval: false,
      executor: 'codex',
    });
  });

  it('reads every option and lists every bad one', () => {
    const c = loadConfig(
      { TEAMMATE_CARD_BUDGET: '2', TEAMMATE_QUIET_HOURS: 'off', TEAMMATE_APPROVERS: 'U1, U2', TEAMMATE_ALLOW_SELF_APPROVAL: 'true', TEAMMATE_EXECUTOR: 'github-issue' },
      ctx,
    );
    expect(c.proposals).toEqual({ cardBudget: 2, quietHours: { weekends: false }, approvers: ['U1', 'U2'], allowSelfApproval: true, executor: 'github-issue' });
    expect(() =>
      loadConfig({ TEAMMATE_CARD_BUDGET: 'lots', TEAMMATE_QUIET_HOURS: 'evenings', TEAMMATE_ALLOW_SELF_APPROVAL: 'maybe', TEAMMATE_EXECUTOR: 'devin' }, ctx),
    ).toThrow(/TEAMMATE_CARD_BUDGET[\s\S]*TEAMMATE_QUIET_HOURS[\s\S]*TEAMMATE_ALLOW_SELF_APPROVAL[\s\S]*TEAMMATE_EXECUTOR/);
  });
});
