/**
 * Every setting Teammate reads, declared once: its environment variable (the key), its value type
 * with its default (a zod schema from option-types.ts), its description and whether it is secret.
 * From this one table come the zod schema loadConfig validates with, the typed `config.settings`
 * every option can be read from, the README table and `.env.example` (a test checks both against
 * it) and what `teammate doctor` prints.
 *
 * Adding an option is one entry here: `MY_OPTION: option({ group, description, schema: intInRange(5, 1, 10) })`,
 * then read `config.settings.MY_OPTION` (typed). Add its README row and `.env.example` line; the
 * docs test prints the exact row it expects.
 */
import { z } from 'zod';
import { channelId, slotCron, timeZone } from './schedule-options.js';
import { commaList, cronOrOff, flag, httpUrl, intInRange, oneOf, optionalHttpUrl, optionalText, prefixed, quietHours, text } from './option-types.js';

export type OptionGroup = 'slack' | 'llm' | 'github' | 'repos' | 'storage' | 'runtime';

export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  readonly group: OptionGroup;
  readonly description: string;
  /** Parses the environment string, applies the default, explains a bad value. */
  readonly schema: S;
  readonly secret?: boolean;
  /** For the docs (Markdown), when the default is derived from other settings rather than a fixed value. */
  readonly defaultText?: string;
}

/** Identity, for inference: keeps each option's own schema type so `Settings` is precise. */
const option = <S extends z.ZodType>(spec: OptionSpec<S>): OptionSpec<S> => spec;

export const OPTIONS = {
  SLACK_BOT_TOKEN: option({ group: 'slack', secret: true, schema: prefixed(['xoxb-'], 'a bot token'), description: 'Bot token (`xoxb-…`) from OAuth & Permissions. Without it Teammate runs the terminal console instead of Slack.' }),
  SLACK_APP_TOKEN: option({ group: 'slack', secret: true, schema: prefixed(['xapp-'], 'an app-level token'), description: 'App-level token (`xapp-…`, scope `connections:write`). When set, Teammate connects with Socket Mode (no public URL needed).' }),
  SLACK_SIGNING_SECRET: option({ group: 'slack', secret: true, schema: optionalText(), description: 'Signing secret from Basic Information. Required for the HTTP receiver (when `SLACK_APP_TOKEN` is not set).' }),
  SLACK_API_URL: option({ group: 'slack', schema: httpUrl('https://slack.com/api/'), description: 'Slack Web API base URL (GovSlack: `https://slack-gov.com/api/`).' }),
  PORT: option({ group: 'slack', schema: intInRange(3000, 0, 65535), description: 'HTTP receiver port: `POST /slack/events` (events, interactivity, commands) and `GET /healthz`.' }), // 0: any free port (tests)
  TEAMMATE_ADMINS: option({ group: 'slack', schema: commaList(), description: 'Comma-separated Slack user IDs who may change a channel\'s repository (`/teammate repo`) and the team settings (`/teammate settings`). Empty: anyone.' }),
  OPENAI_API_KEY: option({ group: 'llm', secret: true, schema: optionalText(), description: 'API key for the OpenAI-compatible endpoint. Without it answers are extractive (the best-matching code, no model).' }),
  OPENAI_BASE_URL: option({ group: 'llm', schema: httpUrl('https://api.openai.com/v1'), description: 'OpenAI-compatible base URL (Azure, Ollama `http://localhost:11434/v1`, vLLM, …).' }),
  OPENAI_MODEL: option({ group: 'llm', schema: text('gpt-4.1-mini'), description: 'Chat model used for answers; it must support tool calls.' }),
  OPENAI_TIMEOUT_MS: option({ group: 'llm', schema: intInRange(60_000, 1_000, 600_000), description: 'Per-request timeout for the model, in milliseconds.' }),
  OPENAI_MAX_RETRIES: option({ group: 'llm', schema: intInRange(2, 0, 10), description: 'Retries (with backoff) on model errors before falling back to an extractive answer.' }),
  OPENAI_EMBEDDINGS_MODEL: option({ group: 'llm', schema: optionalText(), description: 'Embeddings model (e.g. `text-embedding-3-small`) for hybrid lexical + semantic search, on the same endpoint and key. Empty: lexical search only.' }),
  TEAMMATE_EMBEDDING_DIMENSIONS: option({ group: 'llm', schema: intInRange(256, 16, 4096), description: 'Vector size requested from the embeddings model (smaller is faster and lighter; must match what the model returns).' }),
  TEAMMATE_MAX_STEPS: option({ group: 'llm', schema: intInRange(8, 1, 50), description: 'Most tool-loop steps (model calls) per answer.' }),
  TEAMMATE_MAX_TOKENS: option({ group: 'llm', schema: intInRange(60_000, 1_000, 2_000_000), description: 'Token budget per answer (prompt + completion, summed over steps).' }),
  TEAMMATE_ANSWER_CONCURRENCY: option({ group: 'llm', schema: intInRange(4, 1, 100), description: 'Most questions answered at once; later ones wait in line (the asker is told) so a burst never delays Slack acks.' }),
  GITHUB_TOKEN: option({ group: 'github', secret: true, schema: optionalText(), description: 'GitHub token for `owner/name` repositories (clone and fetch). Optional for local repositories.' }),
  GITHUB_API_URL: option({ group: 'github', schema: httpUrl('https://api.github.com'), description: 'GitHub REST base URL (GitHub Enterprise: `https://HOST/api/v3`).' }),
  GITHUB_WEB_URL: option({ group: 'github', schema: optionalHttpUrl(), defaultText: 'derived from GITHUB_API_URL', description: 'Base of permalinks and clone URLs (`https://github.com`, or your GitHub Enterprise host).' }),
  TEAMMATE_REPOS: option({ group: 'repos', schema: optionalText(), defaultText: 'the current directory', description: 'Comma-separated repositories: local paths or `owner/name`. The first is the default for questions.' }),
  TEAMMATE_REFRESH_CRON: option({ group: 'repos', schema: cronOrOff('*/15 * * * *'), description: 'When `teammate start` fetches GitHub repositories and refreshes every index (cron syntax; `off` to disable).' }),
  TEAMMATE_SCAN_CRON: option({ group: 'repos', schema: slotCron('0 9 * * 1-5'), description: "When each channel's repository is scanned for proposals (cron syntax in `TEAMMATE_TZ`; `off` to disable). A slot runs once even with two processes on one database." }),
  TEAMMATE_DIGEST_CRON: option({ group: 'repos', schema: slotCron('0 9 * * 1'), description: 'When each channel gets its digest (cron syntax in `TEAMMATE_TZ`; `off` to disable).' }),
  TEAMMATE_TZ: option({ group: 'repos', schema: timeZone(), defaultText: "the machine's time zone", description: 'IANA time zone the schedules and quiet hours are read in (`Europe/Berlin`, `America/New_York`, `UTC`).' }),
  TEAMMATE_CHANNEL: option({ group: 'repos', schema: channelId(), description: 'Slack channel ID (`C0123456789`) for cards and digests of repositories no channel has claimed with `/teammate repo`.' }),
  TEAMMATE_BACKFILL_HOURS: option({ group: 'repos', schema: intInRange(12, 0, 24 * 7), description: 'At start-up, a scan or digest slot missed while Teammate was down runs once if it is at most this many hours old (0: never).' }),
  TEAMMATE_NPM_REGISTRY: option({ group: 'repos', schema: httpUrl('https://registry.npmjs.org'), description: 'npm registry the dependencies scanner reads versions from and `npm audit` asks about vulnerabilities (a mirror or proxy works).' }),
  TEAMMATE_DATA_DIR: option({ group: 'storage', schema: optionalText(), defaultText: '`~/.local/share/teammate`', description: 'Where Teammate keeps its database and clones.' }),
  TEAMMATE_DB: option({ group: 'storage', schema: optionalText(), defaultText: '`$TEAMMATE_DATA_DIR/teammate.db`', description: 'SQLite database file (`:memory:` for a throwaway run).' }),
  // Proposals and decisions (issue 7).
  TEAMMATE_CARD_BUDGET: option({ group: 'runtime', schema: intInRange(5, 0, 50), description: 'Most new proposal cards posted to a channel per scan (ranked by severity, confidence, age); the rest wait in the Home deck and the digest.' }),
  TEAMMATE_QUIET_HOURS: option({ group: 'runtime', schema: quietHours('19-08,weekends'), defaultText: '`19-08,weekends`', description: 'When no cards are posted to channels: `HH-HH` (wraps midnight) and/or `weekends`, comma-separated, in `TEAMMATE_TZ`; `off` for never. What scans find then waits in the Home deck and the digest (it is not posted later).' }),
  TEAMMATE_APPROVERS: option({ group: 'runtime', schema: commaList(), description: 'Comma-separated Slack user IDs who may approve, reject or snooze proposals. Empty: anyone who sees the card.' }),
  TEAMMATE_ALLOW_SELF_APPROVAL: option({ group: 'runtime', schema: flag(false), description: 'Let whoever requested a task approve it themselves (`true` for a team of one).' }),
  TEAMMATE_CONSOLE_USER: option({ group: 'runtime', schema: optionalText(), defaultText: 'the OS user name', description: 'Who decides on cards in `teammate console` (`/cards`), as recorded in the audit table; set it to your Slack user ID when `TEAMMATE_APPROVERS` is set.' }),
  TEAMMATE_EXECUTOR: option({ group: 'runtime', schema: oneOf(['codex', 'github-issue', 'github-actions'], 'codex'), description: 'What runs approved tasks: `codex`, `github-issue` or `github-actions`.' }),
  // The task queue and executors (issue 8).
  TEAMMATE_WORKERS: option({ group: 'runtime', schema: intInRange(2, 0, 32), description: "Task workers run inside `teammate start` (each runs one task at a time); `0` runs none there (use `teammate worker` processes on the same database)." }),
  TEAMMATE_TASK_LEASE_MS: option({ group: 'runtime', schema: intInRange(60_000, 200, 3_600_000), description: "How long a running task's lease lasts without a heartbeat (renewed every third of it); a task whose worker died is claimed again after this." }),
  TEAMMATE_TASK_BACKOFF_MS: option({ group: 'runtime', schema: intInRange(30_000, 10, 3_600_000), description: "First wait before a task that failed transiently (5xx, 429, network) runs again; doubles per attempt with jitter, capped at 30 minutes." }),
  TEAMMATE_WORKER_GRACE_MS: option({ group: 'runtime', schema: intInRange(30_000, 0, 3_600_000), description: "On SIGTERM, how long running tasks may finish before they are stopped and their leases released for another worker." }),
  TEAMMATE_ISSUE_LABELS: option({ group: 'runtime', schema: commaList(), description: "Labels on issues the `github-issue` executor files (comma-separated; default `teammate`). The first one is how it finds its own issues again." }),
  TEAMMATE_ACTIONS_WORKFLOW: option({ group: 'runtime', schema: text('teammate.yml'), description: "Workflow file (under `.github/workflows/`) the `github-actions` executor dispatches; see `examples/github-actions/teammate.yml`." }),
  TEAMMATE_ACTIONS_POLL_MS: option({ group: 'runtime', schema: intInRange(15_000, 50, 600_000), description: "How often the `github-actions` executor looks at the run it follows (ms)." }),
  // The codex executor (issue 8).
  TEAMMATE_CODEX_MODEL: option({ group: 'runtime', schema: optionalText(), defaultText: "the Codex CLI's default", description: 'Model the codex executor asks for, on `OPENAI_BASE_URL` with `OPENAI_API_KEY` (the Responses API). Empty: the Codex CLI chooses.' }),
  TEAMMATE_CODEX_PATH: option({ group: 'runtime', schema: optionalText(), defaultText: 'the bundled `@openai/codex`', description: 'A `codex` binary to run instead of the one installed with `@openai/codex-sdk`.' }),
  TEAMMATE_CODEX_TIMEOUT_MS: option({ group: 'runtime', schema: intInRange(1_800_000, 60_000, 86_400_000), description: 'Longest a Codex agent may work on one task, in milliseconds; then the task fails.' }),
  TEAMMATE_TEST_TIMEOUT_MS: option({ group: 'runtime', schema: intInRange(600_000, 10_000, 7_200_000), description: "Longest the repository's test command may run after the agent's change, in milliseconds; then it is killed and reported as failed." }),
  LOG_LEVEL: option({ group: 'runtime', schema: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'), description: 'pino level: fatal, error, warn, info, debug, trace or silent.' }),
} satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** The validator for the whole environment, derived from the declarations. */
export const settingsSchema = z.object(
  Object.fromEntries(Object.entries(OPTIONS).map(([name, o]) => [name, o.schema])) as { [K in OptionName]: (typeof OPTIONS)[K]['schema'] },
);

/** Every option's parsed value (defaults applied), by variable name. */
export type Settings = z.output<typeof settingsSchema>;

/** One option as the docs, the docs test and `doctor` see it. */
export interface ConfigOption {
  readonly env: OptionName;
  readonly group: OptionGroup;
  readonly description: string;
  /** As documented: the fixed default, the derivation, or undefined when unset means off. */
  readonly default?: string;
  readonly secret: boolean;
  /** What `.env.example` shows: the fixed default, or empty when the default is derived at load time. */
  readonly exampleValue: string;
}

/** The default a schema applies to an unset variable, as the docs show it. */
function documentedDefault(spec: OptionSpec): string | undefined {
  if (spec.defaultText) return spec.defaultText.replaceAll('`', '');
  const parsed = spec.schema.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined || (Array.isArray(parsed.data) && parsed.data.length === 0)) return undefined;
  return String(parsed.data);
}

export const CONFIG_OPTIONS: readonly ConfigOption[] = (Object.entries(OPTIONS) as [OptionName, OptionSpec][]).map(([env, spec]) => ({
  env,
  group: spec.group,
  description: spec.description,
  default: documentedDefault(spec),
  secret: spec.secret ?? false,
  exampleValue: spec.schema.safeParse(undefined).data === undefined ? '' : (documentedDefault(spec) ?? ''),
}));

export const CONFIG_ENV_NAMES: ReadonlySet<string> = new Set(Object.keys(OPTIONS));

/** The README table row for an option; the docs test compares the README against it. */
export function readmeRow(o: ConfigOption): string {
  const spec: OptionSpec = OPTIONS[o.env];
  const shown = spec.defaultText ?? (o.default === undefined ? '—' : `\`${o.default}\``);
  return `| \`${o.env}\` | ${shown} | ${o.description}${o.secret ? ' (secret)' : ''} |`;
}
