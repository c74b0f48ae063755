import os from 'node:os';
import path from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';
import { CONFIG_ENV_NAMES } from './options.js';

export type RepoSpec =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'github'; readonly owner: string; readonly name: string };

export type SlackMode = 'socket' | 'http' | 'none';

export interface Config {
  readonly slack: {
    readonly mode: SlackMode;
    readonly botToken?: string;
    readonly appToken?: string;
    readonly signingSecret?: string;
    readonly apiUrl: string;
    readonly port: number;
    readonly admins: readonly string[];
  };
  readonly llm: {
    readonly apiKey?: string;
    readonly baseUrl: string;
    readonly model: string;
    readonly timeoutMs: number;
    readonly maxRetries: number;
    readonly maxSteps: number;
    readonly maxTokens: number;
    /** Most questions answered at once; the rest queue. */
    readonly answerConcurrency: number;
    /** Set when hybrid search is on (needs apiKey too). */
    readonly embeddingsModel?: string;
    readonly embeddingDimensions: number;
  };
  readonly github: {
    readonly token?: string;
    readonly apiUrl: string;
    readonly webUrl: string;
  };
  readonly repos: readonly RepoSpec[];
  /** Cron expression for fetching and re-indexing repositories; undefined when `off`. */
  readonly refreshCron?: string;
  readonly dataDir: string;
  readonly dbPath: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n') +
        '\nFix these in .env or the environment; see .env.example for every variable.',
    );
    this.name = 'ConfigError';
  }
}

export interface LoadConfigContext {
  readonly cwd: string;
  readonly homeDir?: string;
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());
const withPrefix = (prefixes: string[], what: string) =>
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
const httpUrl = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .default(fallback)
      .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
        message: 'expected an http(s) URL such as https://example.com/api/',
      }),
  );
const intInRange = (fallback: number, min: number, max: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'expected a whole number' })
      .int({ message: 'expected a whole number' })
      .min(min, { message: `expected at least ${min}` })
      .max(max, { message: `expected at most ${max}` })
      .default(fallback),
  );

const envSchema = z.object({
  SLACK_BOT_TOKEN: withPrefix(['xoxb-'], 'a bot token'),
  SLACK_APP_TOKEN: withPrefix(['xapp-'], 'an app-level token'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: httpUrl('https://slack.com/api/'),
  PORT: intInRange(3000, 0, 65535), // 0: any free port (tests)
  TEAMMATE_ADMINS: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: httpUrl('https://api.openai.com/v1'),
  OPENAI_MODEL: z.preprocess(blankToUndefined, z.string().trim().default('gpt-4.1-mini')),
  OPENAI_TIMEOUT_MS: intInRange(60_000, 1_000, 600_000),
  OPENAI_MAX_RETRIES: intInRange(2, 0, 10),
  OPENAI_EMBEDDINGS_MODEL: optionalString,
  TEAMMATE_EMBEDDING_DIMENSIONS: intInRange(256, 16, 4096),
  TEAMMATE_MAX_STEPS: intInRange(8, 1, 50),
  TEAMMATE_MAX_TOKENS: intInRange(60_000, 1_000, 2_000_000),
  TEAMMATE_ANSWER_CONCURRENCY: intInRange(4, 1, 100),
  GITHUB_TOKEN: optionalString,
  GITHUB_API_URL: httpUrl('https://api.github.com'),
  GITHUB_WEB_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .refine((v) => URL.canParse(v), { message: 'expected an http(s) URL such as https://github.example.com' })
      .optional(),
  ),
  TEAMMATE_REPOS: optionalString,
  TEAMMATE_REFRESH_CRON: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .default('*/15 * * * *')
      .refine((v) => v === 'off' || cron.validate(v), { message: 'expected a cron expression such as "*/15 * * * *", or off' }),
  ),
  TEAMMATE_DATA_DIR: optionalString,
  TEAMMATE_DB: optionalString,
  LOG_LEVEL: z.preprocess(
    (v) => (typeof blankToUndefined(v) === 'string' ? String(v).toLowerCase() : undefined),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

const OWNER_NAME = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?$/;
const GITHUB_URL = /^https?:\/\/[^/]+\/([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/;

/**
 * `owner/name` or a GitHub URL names a GitHub repository; anything starting with `.`, `/` or `~`
 * is a local path (write `./a/b` for a relative path with one slash).
 */
export function parseRepoSpec(entry: string, ctx: LoadConfigContext): RepoSpec | string {
  const raw = entry.trim();
  if (raw === '') return 'empty entry';
  const home = ctx.homeDir ?? os.homedir();
  if (raw === '~' || raw.startsWith('~/')) return { kind: 'local', path: path.join(home, raw.slice(1)) };
  if (raw.startsWith('.') || path.isAbsolute(raw)) return { kind: 'local', path: path.resolve(ctx.cwd, raw) };
  const m = OWNER_NAME.exec(raw) ?? GITHUB_URL.exec(raw);
  if (m) return { kind: 'github', owner: m[1]!, name: m[2]! };
  if (!raw.includes('/')) return { kind: 'local', path: path.resolve(ctx.cwd, raw) };
  return `"${raw}" is neither owner/name nor a path (start relative paths with ./)`;
}

/** api.github.com → github.com; https://ghe.example.com/api/v3 → https://ghe.example.com */
export function webUrlFromApiUrl(apiUrl: string): string {
  const u = new URL(apiUrl);
  if (u.hostname === 'api.github.com') return 'https://github.com';
  if (u.hostname.startsWith('api.')) return `${u.protocol}//${u.host.slice(4)}`;
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/$/, '')}`;
}

/**
 * A pure function of the environment: reads nothing but `env` and `ctx`, throws one ConfigError
 * listing every problem so the operator fixes them all in one go.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, ctx: LoadConfigContext): Config {
  const picked: Record<string, string | undefined> = {};
  for (const name of CONFIG_ENV_NAMES) picked[name] = env[name];
  const parsed = envSchema.safeParse(picked);
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ key: String(issue.path[0] ?? '?'), message: issue.message });
    }
  }
  // Cross-field rules run on the raw values too, so one typo doesn't hide a second problem.
  const raw = (k: string) => (typeof picked[k] === 'string' && picked[k]!.trim() !== '' ? picked[k]!.trim() : undefined);
  const botToken = raw('SLACK_BOT_TOKEN');
  const appToken = raw('SLACK_APP_TOKEN');
  const signingSecret = raw('SLACK_SIGNING_SECRET');
  let mode: SlackMode = 'none';
  if (botToken) {
    mode = appToken ? 'socket' : 'http';
    if (mode === 'http' && !signingSecret) {
      problems.push({
        key: 'SLACK_SIGNING_SECRET',
        message: 'required for the HTTP receiver; set it (Basic Information → Signing Secret) or set SLACK_APP_TOKEN for Socket Mode',
      });
    }
  } else if (appToken || signingSecret) {
    problems.push({
      key: 'SLACK_BOT_TOKEN',
      message: 'missing while other Slack settings are set; copy the xoxb- token from OAuth & Permissions',
    });
  }

  if (raw('OPENAI_EMBEDDINGS_MODEL') && !raw('OPENAI_API_KEY')) {
    problems.push({ key: 'OPENAI_EMBEDDINGS_MODEL', message: 'needs OPENAI_API_KEY (the embeddings endpoint uses the same key); set it, or leave this empty for lexical search' });
  }

  const repos: RepoSpec[] = [];
  const repoEntries = (raw('TEAMMATE_REPOS') ?? '.').split(',').filter((s) => s.trim() !== '');
  for (const entry of repoEntries) {
    const spec = parseRepoSpec(entry, ctx);
    if (typeof spec === 'string') problems.push({ key: 'TEAMMATE_REPOS', message: spec });
    else repos.push(spec);
  }
  if (repos.length === 0 && !problems.some((p) => p.key === 'TEAMMATE_REPOS')) {
    problems.push({ key: 'TEAMMATE_REPOS', message: 'no repository listed; give a path or owner/name' });
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const home = ctx.homeDir ?? os.homedir();
  const expandHome = (p: string) => (p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p);
  const dataDir = path.resolve(ctx.cwd, expandHome(e.TEAMMATE_DATA_DIR ?? path.join(home, '.local', 'share', 'teammate')));
  const dbPath = e.TEAMMATE_DB === ':memory:' ? ':memory:' : path.resolve(ctx.cwd, expandHome(e.TEAMMATE_DB ?? path.join(dataDir, 'teammate.db')));

  return {
    slack: {
      mode,
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      port: e.PORT,
      admins: (e.TEAMMATE_ADMINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    },
    llm: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL.replace(/\/$/, ''),
      model: e.OPENAI_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
      maxSteps: e.TEAMMATE_MAX_STEPS,
      maxTokens: e.TEAMMATE_MAX_TOKENS,
      answerConcurrency: e.TEAMMATE_ANSWER_CONCURRENCY,
      embeddingsModel: e.OPENAI_EMBEDDINGS_MODEL,
      embeddingDimensions: e.TEAMMATE_EMBEDDING_DIMENSIONS,
    },
    github: {
      token: e.GITHUB_TOKEN,
      apiUrl: e.GITHUB_API_URL.replace(/\/$/, ''),
      webUrl: (e.GITHUB_WEB_URL ?? webUrlFromApiUrl(e.GITHUB_API_URL)).replace(/\/$/, ''),
    },
    repos,
    refreshCron: e.TEAMMATE_REFRESH_CRON === 'off' ? undefined : e.TEAMMATE_REFRESH_CRON,
    dataDir,
    dbPath,
    logLevel: e.LOG_LEVEL,
  };
}
