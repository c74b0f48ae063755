/**
 * Every setting Teammate reads, declared once as data (name, default, description, whether it is
 * secret). loadConfig validates against this list, `.env.example` and the README table are
 * checked against it by a test, and `teammate doctor` prints it. Add a variable here first.
 */
export interface ConfigOption {
  readonly env: string;
  readonly description: string;
  /** Shown in docs; the real default is applied in load-config.ts. */
  readonly default?: string;
  readonly secret?: boolean;
  readonly group: 'slack' | 'llm' | 'github' | 'repos' | 'storage' | 'runtime';
}

export const CONFIG_OPTIONS: readonly ConfigOption[] = [
  { env: 'SLACK_BOT_TOKEN', group: 'slack', secret: true, description: 'Bot token (`xoxb-…`) from OAuth & Permissions. Without it Teammate runs the terminal console instead of Slack.' },
  { env: 'SLACK_APP_TOKEN', group: 'slack', secret: true, description: 'App-level token (`xapp-…`, scope `connections:write`). When set, Teammate connects with Socket Mode (no public URL needed).' },
  { env: 'SLACK_SIGNING_SECRET', group: 'slack', secret: true, description: 'Signing secret from Basic Information. Required for the HTTP receiver (when `SLACK_APP_TOKEN` is not set).' },
  { env: 'SLACK_API_URL', group: 'slack', default: 'https://slack.com/api/', description: 'Slack Web API base URL (GovSlack: `https://slack-gov.com/api/`).' },
  { env: 'PORT', group: 'slack', default: '3000', description: 'HTTP receiver port: `POST /slack/events` (events, interactivity, commands) and `GET /healthz`.' },
  { env: 'TEAMMATE_ADMINS', group: 'slack', default: '', description: 'Comma-separated Slack user IDs allowed to administer Teammate (later: approve proposals). Empty: anyone in the channel.' },
  { env: 'OPENAI_API_KEY', group: 'llm', secret: true, description: 'API key for the OpenAI-compatible endpoint. Without it answers are extractive (the best-matching code, no model).' },
  { env: 'OPENAI_BASE_URL', group: 'llm', default: 'https://api.openai.com/v1', description: 'OpenAI-compatible base URL (Azure, Ollama `http://localhost:11434/v1`, vLLM, …).' },
  { env: 'OPENAI_MODEL', group: 'llm', default: 'gpt-4.1-mini', description: 'Chat model used for answers; it must support tool calls.' },
  { env: 'OPENAI_TIMEOUT_MS', group: 'llm', default: '60000', description: 'Per-request timeout for the model, in milliseconds.' },
  { env: 'OPENAI_MAX_RETRIES', group: 'llm', default: '2', description: 'Retries (with backoff) on model errors before falling back to an extractive answer.' },
  { env: 'OPENAI_EMBEDDINGS_MODEL', group: 'llm', default: '', description: 'Embeddings model (e.g. `text-embedding-3-small`) for hybrid lexical + semantic search, on the same endpoint and key. Empty: lexical search only.' },
  { env: 'TEAMMATE_EMBEDDING_DIMENSIONS', group: 'llm', default: '256', description: 'Vector size requested from the embeddings model (smaller is faster and lighter; must match what the model returns).' },
  { env: 'TEAMMATE_MAX_STEPS', group: 'llm', default: '8', description: 'Most tool-loop steps (model calls) per answer.' },
  { env: 'TEAMMATE_MAX_TOKENS', group: 'llm', default: '60000', description: 'Token budget per answer (prompt + completion, summed over steps).' },
  { env: 'TEAMMATE_ANSWER_CONCURRENCY', group: 'llm', default: '4', description: 'Most questions answered at once; later ones wait in line (the asker is told) so a burst never delays Slack acks.' },
  { env: 'GITHUB_TOKEN', group: 'github', secret: true, description: 'GitHub token for `owner/name` repositories (clone, issues, PRs). Optional for local repositories.' },
  { env: 'GITHUB_API_URL', group: 'github', default: 'https://api.github.com', description: 'GitHub REST base URL (GitHub Enterprise: `https://HOST/api/v3`).' },
  { env: 'GITHUB_WEB_URL', group: 'github', default: 'derived from GITHUB_API_URL', description: 'Base of permalinks and clone URLs (`https://github.com`, or your GitHub Enterprise host).' },
  { env: 'TEAMMATE_REPOS', group: 'repos', default: 'the current directory', description: 'Comma-separated repositories: local paths or `owner/name`. The first is the default for questions.' },
  { env: 'TEAMMATE_REFRESH_CRON', group: 'repos', default: '*/15 * * * *', description: 'When `teammate start` fetches GitHub repositories and refreshes every index (cron syntax; `off` to disable).' },
  { env: 'TEAMMATE_DATA_DIR', group: 'storage', default: '~/.local/share/teammate', description: 'Where Teammate keeps its database and clones.' },
  { env: 'TEAMMATE_DB', group: 'storage', default: '$TEAMMATE_DATA_DIR/teammate.db', description: 'SQLite database file (`:memory:` for a throwaway run).' },
  { env: 'LOG_LEVEL', group: 'runtime', default: 'info', description: 'pino level: fatal, error, warn, info, debug, trace or silent.' },
];

export const CONFIG_ENV_NAMES: ReadonlySet<string> = new Set(CONFIG_OPTIONS.map((o) => o.env));
