/**
 * Per-repository settings from `.teammate.yml` in the repository root: which scanners run, their
 * thresholds, the test command and the executor. A missing file means defaults; a bad one is a
 * RepoSettingsError listing every problem with its path, so nothing runs on a half-read config.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';

export const REPO_SETTINGS_FILE = '.teammate.yml';

/** Scanner names `.teammate.yml` may switch; kept here so a typo is an error, not a silent no-op. */
export const KNOWN_SCANNERS = ['todo', 'dependencies', 'ci', 'issues', 'review'] as const;

export const EXECUTORS = ['codex', 'github-issue', 'github-actions'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

export interface RepoThresholds {
  /** issues: only issues opened at least this many days ago. */
  readonly issueAgeDays: number;
  /** review: findings below this model confidence are dropped. */
  readonly reviewConfidence: number;
  /** review: most commits reviewed per scan (newest first). */
  readonly reviewMaxCommits: number;
  /** todo: most findings returned per scan (the rest are the least important). */
  readonly todoLimit: number;
  /** ci: most recent completed runs looked at on the default branch. */
  readonly ciRunLimit: number;
}

export interface RepoSettings {
  /** Off scanners are listed with `false`; anything not listed is on. */
  readonly scanners: Readonly<Record<string, boolean>>;
  readonly thresholds: RepoThresholds;
  /** The command that proves a change works (`npm test`); the tasks queue runs it. */
  readonly testCommand?: string;
  readonly executor?: ExecutorName;
  /** Where the settings came from, for messages; undefined when defaults were used. */
  readonly source?: string;
}

export const DEFAULT_THRESHOLDS: RepoThresholds = {
  issueAgeDays: 14,
  reviewConfidence: 0.7,
  reviewMaxCommits: 10,
  todoLimit: 100,
  ciRunLimit: 50,
};

export const DEFAULT_REPO_SETTINGS: RepoSettings = { scanners: {}, thresholds: DEFAULT_THRESHOLDS };

export class RepoSettingsError extends Error {
  override name = 'RepoSettingsError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix the file or delete it to use the defaults.`);
  }
}

const scannerSwitch = z.union([z.boolean(), z.strictObject({ enabled: z.boolean() })]);

const schema = z.strictObject({
  scanners: z
    .record(z.string(), scannerSwitch)
    .superRefine((rec, ctx) => {
      for (const key of Object.keys(rec)) {
        if (!(KNOWN_SCANNERS as readonly string[]).includes(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `unknown scanner (known: ${KNOWN_SCANNERS.join(', ')})` });
        }
      }
    })
    .optional(),
  thresholds: z
    .strictObject({
      issueAgeDays: z.number().int().min(0).max(3650).optional(),
      reviewConfidence: z.number().min(0).max(1).optional(),
      reviewMaxCommits: z.number().int().min(1).max(100).optional(),
      todoLimit: z.number().int().min(1).max(10_000).optional(),
      ciRunLimit: z.number().int().min(1).max(100).optional(),
    })
    .optional(),
  test: z.string().trim().min(1, 'must not be empty').max(500).optional(),
  executor: z.enum(EXECUTORS).optional(),
});

/** Parses the text of a `.teammate.yml`; `file` only names it in errors. */
export function parseRepoSettings(text: string, file = REPO_SETTINGS_FILE): RepoSettings {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line})` : '';
    throw new RepoSettingsError(file, [`not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`]);
  }
  if (raw === null || raw === undefined) return { ...DEFAULT_REPO_SETTINGS, source: file };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new RepoSettingsError(
      file,
      parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`),
    );
  }
  const s = parsed.data;
  const scanners: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(s.scanners ?? {})) scanners[name] = typeof value === 'boolean' ? value : value.enabled;
  return {
    scanners,
    thresholds: { ...DEFAULT_THRESHOLDS, ...stripUndefined(s.thresholds ?? {}) },
    testCommand: s.test,
    executor: s.executor,
    source: file,
  };
}

/** Reads `.teammate.yml` from the repository root; defaults when there is none. */
export async function loadRepoSettings(root: string): Promise<RepoSettings> {
  const file = path.join(root, REPO_SETTINGS_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_REPO_SETTINGS;
    throw new RepoSettingsError(file, [`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  return parseRepoSettings(text, file);
}

export function isScannerEnabled(settings: RepoSettings, scanner: string): boolean {
  return settings.scanners[scanner] !== false;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
