import { REDACTED, redactSecrets } from '../security/redact-secrets.js';

export { REDACTED };

/**
 * Secrets in a log line, a Slack message, a model prompt or a child process environment, replaced
 * by [REDACTED]. Detection lives in src/security/redact-secrets.ts (gitleaks' rules and ours).
 */
export function scrubSecrets(text: string): string {
  return redactSecrets(text).text;
}

/** A deep copy of plain data (Block Kit blocks, JSON) with every string scrubbed; keys and shape unchanged. */
export function scrubStrings<T>(value: T): T {
  if (typeof value === 'string') return scrubSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubStrings(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubStrings(v)])) as T;
}

export function containsSecret(text: string): boolean {
  return redactSecrets(text).found.length > 0;
}

const SECRET_KEY = /(token|secret|password|passwd|authorization|api[-_]?key|cookie|private[-_]?key)/i;

/**
 * A number or boolean under a secret-sounding key is a count or a flag (`usage.promptTokens`,
 * `maxTokens`), never a credential: hiding it only blinds whoever reads the logs.
 */
const isCountOrFlag = (v: unknown) => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';

/** Deep copy with secret-named values replaced and secret-shaped strings scrubbed; counts are kept. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) {
    // Too deep to walk (or circular): written as scrubbed JSON rather than as it came.
    try {
      return scrubSecrets(JSON.stringify(value));
    } catch {
      return '[unserializable]';
    }
  }
  if (value instanceof Error) {
    return { type: value.name, message: scrubSecrets(value.message), stack: value.stack ? scrubSecrets(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' && !isCountOrFlag(v) ? REDACTED : scrubValue(v, depth + 1);
  }
  return out;
}

/**
 * The environment for a child process (git, test runners, agents): every variable whose name or
 * value looks secret is dropped, then `extra` (what the child really needs) is added back.
 */
export function childProcessEnv(
  parent: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) {
    if (v === undefined) continue;
    if (SECRET_KEY.test(k) || containsSecret(v)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}
