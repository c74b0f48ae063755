import os from 'node:os';
import path from 'node:path';
import { CONFIG_ENV_NAMES, type Settings, settingsSchema } from './options.js';

export type RepoSpec =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'github'; readonly owner: string; readonly name: string };

export type SlackMode = 'socket' | 'http' | 'none';

/**
 * The settings grouped for the adapters that use them, plus what is derived from several options
 * (Slack mode, repositories, paths). Options added since are read from `settings` directly.
 */
export interface Config {
  /** Every declared option's value by variable name (see options.ts): the one place a new option needs. */
  readonly settings: Settings;
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
    /** Set when hybrid search is on (needs apiKey too). */
    readonly embeddingsModel?: string;
    readonly embeddingDimensions: number;
    /** Most questions answered at once; the rest queue. */
    readonly answerConcurrency: number;
  };
  readonly github: {
    readonly token?: string;
    readonly apiUrl: string;
    readonly webUrl: string;
  };
  readonly repos: readonly RepoSpec[];
  /** Cron expression for fetching and re-indexing repositories; undefined when `off`. */
  readonly refreshCron?: string;
  /** Scans and digests: cron expressions (undefined when `off`) read in `timezone`. */
  readonly schedule: {
    readonly scanCron?: string;
    readonly digestCron?: string;
    readonly timezone: string;
    /** Default channel ID for cards and digests. */
    readonly channel?: string;
    readonly backfillHours: number;
  };
  /** npm registry for the dependencies scanner and `npm audit`, without a trailing slash. */
  readonly npmRegistry: string;
  readonly dataDir: string;
  readonly dbPath: string;
  readonly logLevel: Settings['LOG_LEVEL'];
  readonly proposals: ProposalsConfig;
}

export type ExecutorName = Settings['TEAMMATE_EXECUTOR'];

export interface ProposalsConfig {
  readonly cardBudget: number;
  readonly quietHours: Settings['TEAMMATE_QUIET_HOURS'];
  readonly approvers: readonly string[];
  readonly allowSelfApproval: boolean;
  /** TEAMMATE_CONSOLE_USER: who decides in the console; undefined: the OS user name. */
  readonly consoleUser?: string;
  readonly executor: ExecutorName;
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
  /** TEAMMATE_TZ's default; the machine's zone unless given. */
  readonly systemTimeZone?: string;
}

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
  const parsed = settingsSchema.safeParse(picked);
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
    settings: e,
    slack: {
      mode,
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      port: e.PORT,
      admins: e.TEAMMATE_ADMINS,
    },
    llm: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL.replace(/\/$/, ''),
      model: e.OPENAI_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
      maxSteps: e.TEAMMATE_MAX_STEPS,
      maxTokens: e.TEAMMATE_MAX_TOKENS,
      embeddingsModel: e.OPENAI_EMBEDDINGS_MODEL,
      embeddingDimensions: e.TEAMMATE_EMBEDDING_DIMENSIONS,
      answerConcurrency: e.TEAMMATE_ANSWER_CONCURRENCY,
    },
    github: {
      token: e.GITHUB_TOKEN,
      apiUrl: e.GITHUB_API_URL.replace(/\/$/, ''),
      webUrl: (e.GITHUB_WEB_URL ?? webUrlFromApiUrl(e.GITHUB_API_URL)).replace(/\/$/, ''),
    },
    repos,
    refreshCron: e.TEAMMATE_REFRESH_CRON,
    schedule: {
      scanCron: e.TEAMMATE_SCAN_CRON,
      digestCron: e.TEAMMATE_DIGEST_CRON,
      timezone: e.TEAMMATE_TZ ?? ctx.systemTimeZone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
      channel: e.TEAMMATE_CHANNEL,
      backfillHours: e.TEAMMATE_BACKFILL_HOURS,
    },
    npmRegistry: e.TEAMMATE_NPM_REGISTRY.replace(/\/+$/, ''),
    dataDir,
    dbPath,
    logLevel: e.LOG_LEVEL,
    proposals: {
      cardBudget: e.TEAMMATE_CARD_BUDGET,
      quietHours: e.TEAMMATE_QUIET_HOURS,
      approvers: e.TEAMMATE_APPROVERS,
      allowSelfApproval: e.TEAMMATE_ALLOW_SELF_APPROVAL,
      ...(e.TEAMMATE_CONSOLE_USER ? { consoleUser: e.TEAMMATE_CONSOLE_USER } : {}),
      executor: e.TEAMMATE_EXECUTOR,
    },
  };
}
