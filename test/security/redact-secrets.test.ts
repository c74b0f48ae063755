import { describe, expect, it } from 'vitest';
import { GITLEAKS_CONFIG } from '../../src/security/gitleaks-rules.js';
import { compileGoRegexp, goRegexpToJs } from '../../src/security/go-regexp.js';
import { createKeywordScanner } from '../../src/security/keyword-scanner.js';
import { redactSecrets, secretRuleCount, shannonEntropy } from '../../src/security/redact-secrets.js';

const j = (...parts: string[]) => parts.join('');

describe('go-regexp', () => {
  it('compiles every regex of the gitleaks rule set (rules, paths, allowlists)', () => {
    const sources: string[] = [];
    for (const r of GITLEAKS_CONFIG.rules) {
      if (r.regex) sources.push(r.regex);
      if (r.path) sources.push(r.path);
      for (const a of r.allowlists ?? []) sources.push(...(a.regexes ?? []), ...(a.paths ?? []));
    }
    sources.push(...(GITLEAKS_CONFIG.allowlist.regexes ?? []), ...(GITLEAKS_CONFIG.allowlist.paths ?? []));
    expect(sources.length).toBeGreaterThan(300);
    const failures = sources.filter((s) => {
      try {
        compileGoRegexp(s);
        return false;
      } catch {
        return true;
      }
    });
    expect(failures).toEqual([]);
    expect(secretRuleCount()).toBeGreaterThan(200);
  });

  it('keeps Go semantics for inline flags, scoped flags, named groups and POSIX classes', () => {
    expect(compileGoRegexp('(?i)abc').test('xABCx')).toBe(true);
    // (?-i:…) stays case-sensitive inside a case-insensitive pattern.
    const api = compileGoRegexp('(?i)key(?-i:[Aa]pi|API)');
    expect(api.test('KEYApi')).toBe(true);
    expect(api.test('KEYaPI')).toBe(false);
    // A scoped (?i:…) folds only its group.
    const hf = compileGoRegexp('^hf_(?i:[a-z]{3})$');
    expect(hf.test('hf_AbC')).toBe(true);
    expect(hf.test('HF_abc')).toBe(false);
    // Mid-pattern (?i) applies from there on.
    const mid = compileGoRegexp('^LTAI(?i)[a-z0-9]{4}$');
    expect(mid.test('LTAIAb1c')).toBe(true);
    expect(mid.test('ltaiab1c')).toBe(false);
    expect(compileGoRegexp('(?s:.){3}').test('a\nb')).toBe(true);
    expect(compileGoRegexp('(?P<name>x)').exec('x')?.groups?.name).toBe('x');
    expect(compileGoRegexp('^[[:alnum:]]+$').test('aZ9')).toBe(true);
    expect(compileGoRegexp('a\\z').test('ba')).toBe(true);
    // A trailing '-' in a folded class stays a literal, not a range to the added letters.
    const cls = compileGoRegexp('(?i)^[a-z_-]+$');
    expect(cls.test('Ab_-z')).toBe(true);
    expect(cls.test('a.b')).toBe(false);
    expect(() => goRegexpToJs('\\p{L}')).toThrow(/Unicode/);
  });
});

describe('keyword scanner', () => {
  it('finds overlapping keywords case-insensitively in one pass', () => {
    const scanner = createKeywordScanner(['key', 'api_key', 'sk_live']);
    const hits: [number, number][] = [];
    scanner.scan('MY_API_KEY=sk_LIVE_1 ü key', (k, at) => hits.push([k, at]));
    expect(hits).toEqual([
      [1, 3],
      [0, 7],
      [2, 11],
      [0, 23],
    ]);
  });
});

describe('redactSecrets', () => {
  const shapes: Record<string, { line: string; secret: string }> = {
    'Stripe live key': { line: j('const stripe = "sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc";'), secret: j('sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc') },
    'Stripe restricted key': { line: j('STRIPE=rk_', 'live_', '51H8xYzAbCdEfGhIjKlMnOpQr'), secret: j('rk_', 'live_', '51H8xYzAbCdEfGhIjKlMnOpQr') },
    'AWS secret access key': { line: j('aws_secret_access_key = ', 'q8Jd2LmZ4pRt7Vw1Xy3Bc5Nf9Gh0Kj6Ls2Dp4TqW'), secret: 'q8Jd2LmZ4pRt7Vw1Xy3Bc5Nf9Gh0Kj6Ls2Dp4TqW' },
    'AWS secret in JS config': { line: j('  secretAccessKey: "', 'Zx9/Lm2Qp7Rt4Vw8Yz1Bc3Nd5Pf6Gh0Kj2Ls4Dp', '",'), secret: 'Zx9/Lm2Qp7Rt4Vw8Yz1Bc3Nd5Pf6Gh0Kj2Ls4Dp' },
    'Google API key': { line: j('maps(key="AIza', 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY")'), secret: j('AIza', 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY') },
    'Slack webhook': { line: j('WEBHOOK = "https://hooks.slack.com/services/', 'T0A1B2C3D/B4E5F6G7H/q1W2e3R4t5Y6u7I8o9P0aSdF"'), secret: 'q1W2e3R4t5Y6u7I8o9P0aSdF' },
    JWT: {
      line: j('Authorization: ', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'),
      secret: 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    },
    'postgres URL password': { line: j('DATABASE_URL=postgres://app:', 'Tr0ub4dor-3xq', '@db.internal:5432/app'), secret: 'Tr0ub4dor-3xq' },
    'password literal': { line: j('password = "', 'hunter2-Prod!', '"'), secret: 'hunter2-Prod!' },
    'Slack bot token': { line: j('token: xoxb', '-1234567890-abcdefghijkl'), secret: 'abcdefghijkl' },
    'GitHub token': { line: j('GH=ghp_', 'A1b2C3d4E5'.repeat(4)), secret: 'A1b2C3d4E5'.repeat(4) },
  };

  for (const [name, { line, secret }] of Object.entries(shapes)) {
    it(`redacts a ${name}`, () => {
      const res = redactSecrets(`first line\n${line}\nlast line`);
      expect(res.text).not.toContain(secret);
      expect(res.text).toContain('[REDACTED]');
      expect(res.found.length).toBeGreaterThan(0);
      expect(res.found[0]!.line).toBe(2);
      expect(res.text.split('\n')).toHaveLength(3);
    });
  }

  it('catches a key followed by prose punctuation, as in a question or an answer', () => {
    const key = j('sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc');
    for (const end of ['.', ',', '?', ')', '!']) expect(redactSecrets(`is ${key}${end} valid`).text).toBe(`is [REDACTED]${end} valid`);
  });

  it('keeps the name and the surroundings, and line numbers after a multi-line key', () => {
    const key = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAsecret1', 'c2VjcmV0c2VjcmV0', '-----END RSA PRIVATE KEY-----'].join('\n');
    const res = redactSecrets(`a\n${key}\nafter the key\nURL=postgres://u:${j('pw-', 'Zq81xx')}@h/db`);
    expect(res.text.split('\n')).toEqual(['a', '[REDACTED]', '[REDACTED]', '[REDACTED]', '[REDACTED]', 'after the key', 'URL=postgres://u:[REDACTED]@h/db']);
    expect(res.found.map((f) => f.line)).toEqual([2, 7]);
  });

  it('leaves ordinary code alone: identifiers, placeholders, counts and prose', () => {
    const code = [
      'const token = this.generateAccessToken(user);',
      'const apiKey = process.env.OPENAI_API_KEY;',
      'password: ${DB_PASSWORD}',
      'db = "postgres://${USER}:${PASS}@localhost/app"',
      'usage: { promptTokens: 1200, maxTokens: 4000 }',
      'Use a token bucket to limit the basic fixture/setup rate.',
      'import { createHash } from "node:crypto";',
    ].join('\n');
    expect(redactSecrets(code)).toEqual({ text: code, found: [] });
  });

  it('finds a secret on a very long minified line and leaves the rest of the line', () => {
    const key = j('AIza', 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY');
    const line = `${'var a=1;'.repeat(2000)}k="${key}";${'var b=2;'.repeat(2000)}`;
    const res = redactSecrets(line);
    expect(res.text).not.toContain(key);
    expect(res.text.length).toBe(line.length - key.length + '[REDACTED]'.length);
  });

  it('measures entropy as gitleaks does', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});
