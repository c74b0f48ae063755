/**
 * Known vulnerabilities from `npm audit --json`, run on the HEAD's package.json and lockfile copied
 * to a temporary folder: the repository's own `.npmrc` and install scripts never come into play,
 * and the registry is the one Teammate is configured with.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { scrubSecrets } from '../../logging/scrub.js';
import type { Severity } from '../finding.js';
import type { CommandRunner } from '../types.js';

export const AUDIT_TIMEOUT_MS = 120_000;

export interface Advisory {
  /** The vulnerable package. */
  readonly name: string;
  /** Advisory id (npm's `source`) and URL (GHSA). */
  readonly id: string;
  readonly url?: string;
  readonly title: string;
  readonly severity: Severity;
  /** Vulnerable versions the advisory names, e.g. `<4.17.21`. */
  readonly range?: string;
  /** The installed versions affected (npm's `range` of the vulnerability). */
  readonly installed?: string;
  readonly isDirect: boolean;
  /** `true`, false, or the upgrade npm suggests. */
  readonly fix: boolean | { readonly name: string; readonly version: string; readonly isSemVerMajor: boolean };
}

const via = z.union([
  z.string(),
  z.looseObject({
    source: z.union([z.number(), z.string()]),
    name: z.string(),
    title: z.string().default(''),
    url: z.string().optional(),
    severity: z.string(),
    range: z.string().optional(),
  }),
]);

const auditSchema = z.looseObject({
  vulnerabilities: z
    .record(
      z.string(),
      z.looseObject({
        name: z.string(),
        severity: z.string(),
        isDirect: z.boolean().default(false),
        via: z.array(via).default([]),
        range: z.string().optional(),
        fixAvailable: z.union([z.boolean(), z.looseObject({ name: z.string(), version: z.string(), isSemVerMajor: z.boolean().default(false) })]).default(false),
      }),
    )
    .default({}),
});

const SEVERITY: Record<string, Severity> = { critical: 'critical', high: 'high', moderate: 'medium', medium: 'medium', low: 'low', info: 'info' };
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export async function runNpmAudit(
  files: { packageJson: string; lockfile: string; lockfileName: string },
  opts: { commands: CommandRunner; registryUrl: string; signal: AbortSignal; timeoutMs?: number },
): Promise<Advisory[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'teammate-audit-'));
  try {
    await fs.writeFile(path.join(dir, 'package.json'), files.packageJson);
    await fs.writeFile(path.join(dir, files.lockfileName), files.lockfile);
    const result = await opts.commands.run('npm', ['audit', '--json', '--package-lock-only', `--registry=${opts.registryUrl}`], {
      cwd: dir,
      timeoutMs: opts.timeoutMs ?? AUDIT_TIMEOUT_MS,
      signal: opts.signal,
      // No prompts, no update check, no funding notes: just the report.
      env: { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_yes: 'false', NO_COLOR: '1' },
    });
    if (result.timedOut) throw new Error(`npm audit timed out after ${Math.round((opts.timeoutMs ?? AUDIT_TIMEOUT_MS) / 1000)} s`);
    return parseAuditReport(result.stdout, result.stderr, result.code);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** npm audit exits 1 when it found something: the JSON decides, not the exit code. */
export function parseAuditReport(stdout: string, stderr: string, code: number | null): Advisory[] {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new Error(`npm audit gave no JSON (exit ${code}): ${scrubSecrets(stderr || stdout).trim().slice(0, 300)}`);
  }
  const err = (json as { error?: { summary?: string; code?: string } }).error;
  if (err) throw new Error(`npm audit failed: ${scrubSecrets(err.summary ?? err.code ?? 'unknown error').slice(0, 300)}`);
  const report = auditSchema.safeParse(json);
  if (!report.success) throw new Error(`npm audit JSON has an unexpected shape: ${report.error.issues[0]?.message ?? ''}`);
  const out = new Map<string, Advisory>();
  for (const v of Object.values(report.data.vulnerabilities)) {
    for (const a of v.via) {
      if (typeof a === 'string') continue; // "via another vulnerable package": reported there
      const id = String(a.source);
      const key = `${a.name}\0${id}`;
      if (out.has(key)) continue;
      out.set(key, {
        name: a.name,
        id,
        url: a.url,
        title: a.title || 'known vulnerability',
        severity: SEVERITY[a.severity] ?? 'medium',
        range: a.range,
        installed: v.range,
        isDirect: v.isDirect,
        fix: v.fixAvailable,
      });
    }
  }
  return [...out.values()].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.name.localeCompare(b.name));
}
