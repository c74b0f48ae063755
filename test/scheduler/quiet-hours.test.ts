import { describe, expect, it } from 'vitest';
import { NEVER_QUIET, type QuietRule, isQuiet, nextAllowed, parseQuietRule } from '../../src/scheduler/quiet-hours.js';

const rule = (text: string): QuietRule => {
  const r = parseQuietRule(text);
  if (typeof r === 'string') throw new Error(r);
  return r;
};
const utc = (iso: string) => new Date(iso);

describe('parseQuietRule', () => {
  it('reads hours, weekends, both, and off', () => {
    expect(rule('19-08')).toEqual({ hours: { start: 19, end: 8 }, weekends: false });
    expect(rule('19:00-08:00, weekends')).toEqual({ hours: { start: 19, end: 8 }, weekends: true });
    expect(rule('weekends')).toEqual({ hours: undefined, weekends: true });
    expect(rule('')).toEqual(NEVER_QUIET);
    expect(rule('off')).toEqual(NEVER_QUIET);
  });

  it('explains what it cannot read', () => {
    expect(parseQuietRule('7pm-8am')).toMatch(/expected hours such as "19-08"/);
    expect(parseQuietRule('19-25')).toMatch(/between 0 and 23/);
    expect(parseQuietRule('19-08,20-09')).toMatch(/expected hours/);
  });
});

describe('isQuiet', () => {
  it('wraps midnight: 19-08 is quiet from 19:00 up to 07:59 local time', () => {
    const r = rule('19-08');
    const tz = 'UTC';
    expect(isQuiet(utc('2026-12-02T18:59:59Z'), tz, r)).toBe(false);
    expect(isQuiet(utc('2026-12-02T19:00:00Z'), tz, r)).toBe(true);
    expect(isQuiet(utc('2026-12-02T23:30:00Z'), tz, r)).toBe(true);
    expect(isQuiet(utc('2026-12-03T00:00:00Z'), tz, r)).toBe(true);
    expect(isQuiet(utc('2026-12-03T07:59:59Z'), tz, r)).toBe(true);
    expect(isQuiet(utc('2026-12-03T08:00:00Z'), tz, r)).toBe(false);
  });

  it('reads the hours in the given zone, and a daytime range does not wrap', () => {
    // 18:30Z is 19:30 in Berlin (CET) but 13:30 in New York.
    expect(isQuiet(utc('2026-12-02T18:30:00Z'), 'Europe/Berlin', rule('19-08'))).toBe(true);
    expect(isQuiet(utc('2026-12-02T18:30:00Z'), 'America/New_York', rule('19-08'))).toBe(false);
    expect(isQuiet(utc('2026-12-02T12:30:00Z'), 'UTC', rule('12-14'))).toBe(true);
    expect(isQuiet(utc('2026-12-02T15:00:00Z'), 'UTC', rule('12-14'))).toBe(false);
  });

  it('keeps weekends quiet all day in local time', () => {
    const r = rule('weekends');
    // Saturday 2026-12-05 00:30 in Tokyo is still Friday 15:30Z.
    expect(isQuiet(utc('2026-12-04T15:30:00Z'), 'Asia/Tokyo', r)).toBe(true);
    expect(isQuiet(utc('2026-12-04T15:30:00Z'), 'UTC', r)).toBe(false);
    expect(isQuiet(utc('2026-12-06T23:59:00Z'), 'UTC', r)).toBe(true);
    expect(isQuiet(utc('2026-12-07T00:00:00Z'), 'UTC', r)).toBe(false);
    expect(isQuiet(utc('2026-12-06T12:00:00Z'), 'UTC', NEVER_QUIET)).toBe(false);
  });
});

describe('nextAllowed', () => {
  it('is the time itself when posting is fine', () => {
    const t = utc('2026-12-02T10:17:23.456Z');
    expect(nextAllowed(t, 'UTC', rule('19-08,weekends'))).toEqual(t);
  });

  it('is 08:00 local the next morning during a weeknight', () => {
    expect(nextAllowed(utc('2026-12-02T21:17:23.456Z'), 'Europe/Berlin', rule('19-08')).toISOString()).toBe('2026-12-03T07:00:00.000Z');
    // India is UTC+5:30: local hour boundaries are not UTC hour boundaries.
    expect(nextAllowed(utc('2026-12-02T16:00:00Z'), 'Asia/Kolkata', rule('19-08')).toISOString()).toBe('2026-12-03T02:30:00.000Z');
  });

  it('is Monday 08:00 after a quiet Friday night and weekend', () => {
    expect(nextAllowed(utc('2026-12-04T20:00:00Z'), 'UTC', rule('19-08,weekends')).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(nextAllowed(utc('2026-12-05T12:00:00Z'), 'UTC', rule('weekends')).toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });

  it('lands on 08:00 local across the spring and autumn DST changes', () => {
    // Europe/Berlin moves to CEST (UTC+2) on Sunday 2026-03-29: Monday 08:00 is 06:00Z.
    expect(nextAllowed(utc('2026-03-27T20:00:00Z'), 'Europe/Berlin', rule('19-08,weekends')).toISOString()).toBe('2026-03-30T06:00:00.000Z');
    // Back to CET (UTC+1) on Sunday 2026-10-25: Monday 08:00 is 07:00Z.
    expect(nextAllowed(utc('2026-10-23T20:00:00Z'), 'Europe/Berlin', rule('19-08,weekends')).toISOString()).toBe('2026-10-26T07:00:00.000Z');
    // A quiet night that spans the change itself: Saturday 22:00 CET → Sunday 08:00 CEST.
    expect(nextAllowed(utc('2026-03-28T21:00:00Z'), 'Europe/Berlin', rule('19-08')).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(isQuiet(utc('2026-03-29T05:59:59Z'), 'Europe/Berlin', rule('19-08'))).toBe(true);
  });
});
