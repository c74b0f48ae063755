import type { GitleaksRule } from './secret-rule-types.js';

/** Values that stand for a secret without being one: `${DB_PASSWORD}`, `{{ .pass }}`, `<password>`, `***`. */
const PLACEHOLDERS = String.raw`^(?:\$\{?[\w.-]+\}?|\{\{[^}]*\}\}|<[^>]*>|%[sv]|\*+|x+|X+|\.\.\.|…)$`;

/**
 * What gitleaks' rules leave out and Teammate must still catch, in the same format (Go regexp
 * syntax). Each one fills a measured gap:
 * - the credentials Teammate itself holds (Slack, OpenAI-style, GitHub tokens) in any length,
 *   because gitleaks pins exact lengths and a test or a new token format must not slip through;
 * - `Authorization` header values in logs and errors;
 * - passwords in connection URLs (`postgres://user:pass@host`) and short `password = "…"`
 *   literals, which gitleaks' generic rule skips (it wants ten high-entropy characters);
 * - AWS secret access keys by name (gitleaks only knows the key id);
 * - private-key blocks of any length (gitleaks wants 64 characters of body; a short or
 *   truncated key is still a key).
 */
export const EXTRA_SECRET_RULES: readonly GitleaksRule[] = [
  { id: 'teammate-slack-token', regex: String.raw`\bxox[abposr]-[A-Za-z0-9-]{6,}`, keywords: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-'] },
  { id: 'teammate-slack-app-token', regex: String.raw`\bxapp-[A-Za-z0-9-]{6,}`, keywords: ['xapp-'] },
  { id: 'teammate-openai-style-key', regex: String.raw`\bsk-(?:proj-|ant-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}`, keywords: ['sk-'] },
  { id: 'teammate-github-token', regex: String.raw`\bgh[pousr]_[A-Za-z0-9]{20,}`, keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'] },
  { id: 'teammate-github-fine-grained-token', regex: String.raw`\bgithub_pat_[A-Za-z0-9_]{20,}`, keywords: ['github_pat_'] },
  {
    id: 'teammate-authorization-value',
    regex: String.raw`(?i)\b(?:bearer|basic|token)[ \t]+([a-z0-9._~+/=-]{12,})`,
    secretGroup: 1,
    keywords: ['bearer', 'basic', 'token'],
    // Words after "basic"/"token" ("basic fixture/setup", "token refreshTimer") are prose or
    // identifiers: a credential has digits.
    allowlists: [{ regexes: [String.raw`^[^0-9]+$`] }],
  },
  {
    id: 'teammate-url-credentials',
    regex: String.raw`\b[a-zA-Z][a-zA-Z0-9+.-]{1,30}://[^\s:/?#@'"\x60<>]{1,100}:([^\s/?#@'"\x60<>]{1,200})@[^\s/?#@'"\x60<>:]+`,
    secretGroup: 1,
    keywords: ['://'],
    allowlists: [{ regexes: [PLACEHOLDERS] }],
  },
  {
    id: 'teammate-password-literal',
    regex: String.raw`(?i)(?:passw(?:or)?d|pwd|passphrase)[\w.-]{0,20}["']?[ \t]*(?:=|:|=>|:=)[ \t]*["']([^"'\s]{4,200})["']`,
    secretGroup: 1,
    keywords: ['passw', 'pwd', 'passphrase'],
    allowlists: [{ regexes: [PLACEHOLDERS] }],
  },
  {
    id: 'teammate-private-key-block',
    regex: String.raw`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----`,
    keywords: ['-----begin'],
  },
  {
    id: 'teammate-aws-secret-access-key',
    regex: String.raw`(?i)secret_?access_?key["']?[ \t]*(?:=|:|=>|:=)[ \t]*["']?([a-z0-9/+=]{40})(?:[^a-z0-9/+=]|$)`,
    secretGroup: 1,
    keywords: ['secret_access', 'secretaccess'],
  },
];
