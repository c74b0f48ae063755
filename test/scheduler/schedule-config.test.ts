import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { explainCronProblem, isValidTimeZone, latestSlot, nextSlot } from '../../src/scheduler/cron-slots.js';

const ctx = { cwd: '/w', homeDir: '/h', systemTimeZone: 'Europe/Paris' };

function problemsOf(env: Record<string, string>): Array<{ key: string; message: string }> {
  try {
    loadConfig(env, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected loadConfig to throw');
}

describe('schedule configuration', () => {
  it('defaults to weekday-morning scans, Monday digests, the machine zone and a 12 h back-fill', () => {
    expect(loadConfig({}, ctx).schedule).toEqual({
      scanCron: '0 9 * * 1-5',
      digestCron: '0 9 * * 1',
      timezone: 'Europe/Paris',
      channel: undefined,
      backfillHours: 12,
    });
  });

  it('reads every setting, and off switches a schedule off', () => {
    const config = loadConfig(
      { TEAMMATE_SCAN_CRON: '30 7 * * 1-5', TEAMMATE_DIGEST_CRON: 'off', TEAMMATE_TZ: 'America/New_York', TEAMMATE_CHANNEL: 'C0123ABCD', TEAMMATE_BACKFILL_HOURS: '0' },
      ctx,
    );
    expect(config.schedule).toEqual({ scanCron: '30 7 * * 1-5', digestCron: undefined, timezone: 'America/New_York', channel: 'C0123ABCD', backfillHours: 0 });
  });

  it('lists a bad cron, time zone, channel and window together with the other config errors', () => {
    const problems = problemsOf({
      TEAMMATE_SCAN_CRON: '0 25 * * *',
      TEAMMATE_DIGEST_CRON: 'every monday',
      TEAMMATE_TZ: 'Mars/Olympus_Mons',
      TEAMMATE_CHANNEL: '#general',
      TEAMMATE_BACKFILL_HOURS: '-1',
      PORT: 'eighty',
    });
    const byKey = Object.fromEntries(problems.map((p) => [p.key, p.message]));
    expect(Object.keys(byKey).sort()).toEqual(['PORT', 'TEAMMATE_BACKFILL_HOURS', 'TEAMMATE_CHANNEL', 'TEAMMATE_DIGEST_CRON', 'TEAMMATE_SCAN_CRON', 'TEAMMATE_TZ']);
    expect(byKey.TEAMMATE_SCAN_CRON).toMatch(/expected a cron expression such as "0 9 \* \* 1-5", or off \(.*25.*\)/);
    expect(byKey.TEAMMATE_DIGEST_CRON).toMatch(/expected 5 fields .* got 2/);
    expect(byKey.TEAMMATE_TZ).toMatch(/IANA time zone such as Europe\/Berlin/);
    expect(byKey.TEAMMATE_CHANNEL).toMatch(/channel ID such as C0123456789/);
    expect(byKey.TEAMMATE_BACKFILL_HOURS).toMatch(/at least 0/);
  });

  it('validates cron expressions and zones with the parser that computes the slots', () => {
    expect(explainCronProblem('0 9 * * 1-5')).toBeUndefined();
    expect(explainCronProblem('*/30 * * * * *')).toBeUndefined(); // seconds first
    expect(explainCronProblem('')).toMatch(/got 0/); // cron-parser alone would read "" as every minute
    expect(explainCronProblem('0 9 * * 8')).toMatch(/range/);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Berlin')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('cron slots in a time zone', () => {
  it('finds the latest slot at or before a time and the next one after it', () => {
    const nine = Date.parse('2026-12-07T08:00:00Z'); // 09:00 in Berlin (CET)
    expect(latestSlot('0 9 * * *', 'Europe/Berlin', nine)?.toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(latestSlot('0 9 * * *', 'Europe/Berlin', nine - 1)?.toISOString()).toBe('2026-12-06T08:00:00.000Z');
    expect(nextSlot('0 9 * * *', 'Europe/Berlin', nine)?.toISOString()).toBe('2026-12-08T08:00:00.000Z');
  });

  it('fires a 09:00 job at 09:00 local time on both sides of a DST change', () => {
    // Europe/Berlin: CET (UTC+1) until 2026-03-29 02:00, then CEST (UTC+2).
    const after = (iso: string) => nextSlot('0 9 * * *', 'Europe/Berlin', Date.parse(iso))?.toISOString();
    expect(after('2026-03-28T00:00:00Z')).toBe('2026-03-28T08:00:00.000Z');
    expect(after('2026-03-28T09:00:00Z')).toBe('2026-03-29T07:00:00.000Z');
  });

  it('runs a slot in the skipped hour once (spring) and a slot in the repeated hour once (autumn)', () => {
    const slotsBetween = (cron: string, from: string, to: string) => {
      const out: string[] = [];
      let t = Date.parse(from);
      for (;;) {
        const next = nextSlot(cron, 'Europe/Berlin', t);
        if (!next || next.getTime() > Date.parse(to)) return out;
        out.push(next.toISOString());
        t = next.getTime();
      }
    };
    // 02:30 does not exist on 2026-03-29: one run that day, none lost, none doubled.
    expect(slotsBetween('30 2 * * *', '2026-03-28T00:00:00Z', '2026-03-30T12:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    // 02:30 happens twice on 2026-10-25: still one run that day.
    expect(slotsBetween('30 2 * * *', '2026-10-24T00:00:00Z', '2026-10-26T12:00:00Z')).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });
});
