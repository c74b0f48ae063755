/**
 * Value types of the scheduling options (TEAMMATE_SCAN_CRON, TEAMMATE_DIGEST_CRON, TEAMMATE_TZ,
 * TEAMMATE_CHANNEL), kept apart so whichever way options.ts declares its table can reuse them.
 * Cron expressions are checked by cron-parser, the parser that computes the slots.
 */
import { z } from 'zod';
import { explainCronProblem, isValidTimeZone } from '../scheduler/cron-slots.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A cron expression (5 fields, or 6 with seconds first), or `off`. */
export const slotCron = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .default(fallback)
      .superRefine((v, ctx) => {
        const problem = v === 'off' ? undefined : explainCronProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: `expected a cron expression such as "${fallback}", or off (${problem})` });
      })
      .transform((v) => (v === 'off' ? undefined : v)),
  );

/** An IANA zone name; undefined when blank (the machine's zone applies). */
export const timeZone = () =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine(isValidTimeZone, { message: 'expected an IANA time zone such as Europe/Berlin, America/New_York or UTC' })
      .optional(),
  );

/** A Slack channel ID (public `C…` or private `G…`); names change, IDs do not. */
export const channelId = () =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[CG][A-Z0-9]{6,}$/, { message: 'expected a channel ID such as C0123456789 (channel details → About, at the bottom), not a #name' })
      .optional(),
  );
