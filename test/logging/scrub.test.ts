import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { childProcessEnv, scrubSecrets } from '../../src/logging/scrub.js';

// Built at run time so the literal tokens never sit in the repository for scanners to flag.
const tokens = {
  bot: ['xoxb', '1234567890', 'abcdefghijkl'].join('-'),
  app: ['xapp', '1', 'A0123', 'abcdef0123456789'].join('-'),
  user: ['xoxp', '1234567890', 'abcdefghijkl'].join('-'),
  openai: `sk-${'a1B2c3D4e5F6g7H8i9J0'.repeat(2)}`,
  ghp: `ghp_${'A1b2C3d4E5'.repeat(4)}`,
  pat: `github_pat_${'11ABCDEFG0'.repeat(4)}`,
};

describe('scrubSecrets', () => {
  it('redacts every token shape we know', () => {
    for (const t of Object.values(tokens)) {
      expect(scrubSecrets(`value=${t} end`)).toBe('value=[REDACTED] end');
    }
  });

  it('keeps the scheme of Authorization headers', () => {
    expect(scrubSecrets('Authorization: Bearer abcdef0123456789xyz')).toBe('Authorization: Bearer [REDACTED]');
    expect(scrubSecrets('a token in prose')).toBe('a token in prose');
  });
});

describe('logger', () => {
  it('never writes tokens, whether in messages, fields, errors or headers', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ level: 'info', destination: sink });
    logger.info(`connecting with ${tokens.bot}`);
    logger.info({ headers: { authorization: `Bearer ${tokens.openai}` }, note: tokens.ghp }, 'request');
    logger.error({ err: new Error(`bad credentials ${tokens.pat}`) }, 'failed');
    logger.child({ event_id: 'Ev1' }).info({ appToken: tokens.app, nested: { url: `https://x?t=${tokens.user}` } }, 'child');
    await new Promise((r) => setImmediate(r));
    const all = lines.join('');
    expect(lines.length).toBe(4);
    for (const t of Object.values(tokens)) expect(all).not.toContain(t);
    expect(all).toContain('[REDACTED]');
    expect(all).toContain('"event_id":"Ev1"');
  });
});

describe('childProcessEnv', () => {
  it('drops secret-named and secret-valued variables and keeps the rest', () => {
    const env = childProcessEnv(
      { PATH: '/usr/bin', HOME: '/home/x', SLACK_BOT_TOKEN: tokens.bot, OPENAI_API_KEY: 'k', SOMETHING: tokens.ghp },
      { GIT_TERMINAL_PROMPT: '0' },
    );
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/x', GIT_TERMINAL_PROMPT: '0' });
  });
});

describe('logger counts', () => {
  it('keeps token counts visible while still redacting secret-named values', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ level: 'debug', destination: sink });
    logger.debug(
      { usage: { promptTokens: 1200, completionTokens: 34 }, maxTokens: 4000, tokens: 1234, tokenBudget: 60000, botToken: 'plain-looking-value', apiKey: 'k1' },
      'model step',
    );
    await new Promise((r) => setImmediate(r));
    const entry = JSON.parse(lines.join('')) as Record<string, unknown>;
    expect(entry.usage).toEqual({ promptTokens: 1200, completionTokens: 34 });
    expect(entry.maxTokens).toBe(4000);
    expect(entry.tokens).toBe(1234);
    expect(entry.tokenBudget).toBe(60000);
    expect(entry.botToken).toBe('[REDACTED]');
    expect(entry.apiKey).toBe('[REDACTED]');
  });
});

describe('logger bindings', () => {
  it('scrubs secrets in child-logger fields, which are written on every line', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const stripe = ['sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc'].join('');
    createLogger({ level: 'debug', destination: sink }).child({ question: `why is ${stripe} refused?` }).child({ step: 2 }).debug('answering');
    await new Promise((r) => setImmediate(r));
    expect(lines.join('')).not.toContain(stripe);
    expect(lines.join('')).toContain('why is [REDACTED] refused?');
    expect(lines.join('')).toContain('"step":2');
  });
});

describe('deeply nested log fields', () => {
  it('are scrubbed too, not passed through past the walk depth', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const stripe = ['sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc'].join('');
    const deep = { a: { b: { c: { d: { e: { f: { g: { h: `key ${stripe}` } } } } } } } };
    createLogger({ level: 'info', destination: sink }).info({ body: deep }, 'request');
    await new Promise((r) => setImmediate(r));
    expect(lines.join('')).not.toContain(stripe);
    expect(lines.join('')).toContain('[REDACTED]');
  });
});
