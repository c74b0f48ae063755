/**
 * The value types options are declared with: each parses one environment string (blank means
 * unset, as an empty line in `.env` does), applies its default and says in words what it expected.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { parseQuietHours } from '../proposals/quiet-hours.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Free text; undefined when unset. */
export const optionalText = () => z.preprocess(blankToUndefined, z.string().trim().optional());

/** Free text with a default. */
export const text = (fallback: string) => z.preprocess(blankToUndefined, z.string().trim().default(fallback));

/** A token that must start with one of `prefixes` (catches a user token pasted for a bot token). */
export const prefixed = (prefixes: readonly string[], what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((v) => prefixes.some((p) => v.startsWith(p)), {
        message: `expected ${what} starting with ${prefixes.map((p) => `"${p}"`).join(' or ')}`,
      })
      .optional(),
  );

const isHttpUrl = (v: string) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol);

/** An http(s) URL with a default. */
export const httpUrl = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z.string().trim().default(fallback).refine(isHttpUrl, { message: 'expected an http(s) URL such as https://example.com/api/' }),
  );

/** An optional http(s) URL (its default is derived from another option). */
export const optionalHttpUrl = () =>
  z.preprocess(blankToUndefined, z.string().trim().refine(isHttpUrl, { message: 'expected an http(s) URL such as https://github.example.com' }).optional());

/** A whole number in [min, max] with a default. */
export const intInRange = (fallback: number, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'expected a whole number' })
      .int({ message: 'expected a whole number' })
      .min(min, { message: `expected at least ${min}` })
      .max(max, { message: `expected at most ${max}` })
      .default(fallback),
  );

/** Comma-separated values as a list (blank entries dropped). */
export const commaList = () =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
  );

/** A cron expression with a default, or `off` (undefined: the job is not scheduled). */
export const cronOrOff = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .default(fallback)
      .refine((v) => v === 'off' || cron.validate(v), { message: 'expected a cron expression such as "*/15 * * * *", or off' })
      .transform((v) => (v === 'off' ? undefined : v)),
  );

/** One of `values`, case-insensitive, with a default. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess((v) => (typeof blankToUndefined(v) === 'string' ? String(v).trim().toLowerCase() : undefined), z.enum(values).default(fallback as never));

/** true/false (also 1/0, yes/no), case-insensitive, with a default. */
export const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => (typeof blankToUndefined(v) === 'string' ? String(v).trim().toLowerCase() : undefined),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  );

/** Quiet hours for channel posts: `HH-HH` and/or `weekends`, comma-separated, or `off`. */
export const quietHours = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .default(fallback)
      .transform((v, ctx) => {
        const q = parseQuietHours(v);
        if (typeof q === 'string') ctx.addIssue({ code: 'custom', message: q });
        return typeof q === 'string' ? { weekends: false } : q;
      }),
  );
