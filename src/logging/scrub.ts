/**
 * Token shapes we never want to see in a log line, a Slack message, an LLM prompt or a child
 * process environment. Patterns, not exact values, so a token we were never told about is caught too.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]{6,}/g, // Slack bot/user/app-config tokens
  /\bxapp-[A-Za-z0-9-]{6,}/g, // Slack app-level tokens
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic style keys
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub classic tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g, // GitHub fine-grained tokens
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{12,}/gi, // Authorization header values
];

export const REDACTED = '[REDACTED]';

export function scrubSecrets(text: string): string {
  let out = text;
  for (const re of SECRET_PATTERNS) {
    out = out.replace(re, (match, scheme?: string) =>
      typeof scheme === 'string' && /^(bearer|basic|token)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED,
    );
  }
  return out;
}

export function containsSecret(text: string): boolean {
  return scrubSecrets(text) !== text;
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
  if (value === null || typeof value !== 'object' || depth > 6) return value;
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
