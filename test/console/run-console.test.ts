import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { markdownToText } from '../../src/console/render-text.js';
import { runConsole } from '../../src/console/run-console.js';
import type { Answer, Question } from '../../src/qa/types.js';
import type { Repository } from '../../src/repos/repository.js';

const repo: Repository = { id: '/srv/api', root: '/srv/api', label: 'api' };
const other: Repository = { id: 'acme/web', root: '/data/acme/web', label: 'acme/web', github: { owner: 'acme', name: 'web', webUrl: 'https://github.com' } };

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (d) => (text += d));
  return () => text;
}

async function converse(lines: string[], answer: (q: Question) => Answer | Promise<Answer>) {
  const asked: Question[] = [];
  const output = new PassThrough();
  const status = new PassThrough();
  const out = collect(output);
  const err = collect(status);
  await runConsole({
    input: Readable.from(lines.map((l) => `${l}\n`)),
    output,
    status,
    interactive: false,
    repos: [repo, other],
    modeLabel: 'extractive',
    answerQuestion: async (q) => {
      asked.push(q);
      q.onProgress?.('searching');
      return answer(q);
    },
  });
  return { asked, out: out(), err: err() };
}

describe('console adapter', () => {
  it('answers each piped line in order and ends at EOF', async () => {
    const { asked, out, err } = await converse(['where is config loaded?', '', 'and the port?'], (q) => ({
      text: `answer to ${q.text} [src/x.ts:1-2](https://github.com/a/b/blob/1/src/x.ts#L1-L2)`,
      citations: [],
      mode: 'llm',
    }));
    expect(asked.map((q) => q.text)).toEqual(['where is config loaded?', 'and the port?']);
    expect(out).toContain('answer to where is config loaded? src/x.ts:1-2 (https://github.com/a/b/blob/1/src/x.ts#L1-L2)');
    expect(out.indexOf('where is config')).toBeLessThan(out.indexOf('and the port'));
    // Progress goes to the status stream, so piped stdout holds only answers.
    expect(err).toContain('… searching');
    expect(out).not.toContain('searching');
  });

  it('carries the conversation into follow-ups and /new forgets it', async () => {
    const { asked } = await converse(['first', 'second', '/new', 'third'], (q) => ({ text: `re: ${q.text}`, citations: [], mode: 'llm' }));
    expect(asked[0]!.history).toEqual([]);
    expect(asked[1]!.history).toEqual([
      { role: 'user', text: 'first' },
      { role: 'assistant', text: 're: first' },
    ]);
    expect(asked[2]!.history).toEqual([]);
  });

  it('switches repository with /repo and says so when the name is unknown', async () => {
    const { asked, out } = await converse(['/repo acme/web', 'q1', '/repo nope'], () => ({ text: 'ok', citations: [], mode: 'llm' }));
    expect(asked[0]!.repo.id).toBe('acme/web');
    expect(out).toContain('Unknown repository "nope". Configured: api, acme/web');
  });

  it('shows the degraded-mode note and never dies on a failing answer', async () => {
    let n = 0;
    const { out } = await converse(['a', 'b'], () => {
      n += 1;
      if (n === 1) throw new Error('index is locked');
      return { text: 'fine', citations: [], mode: 'extractive', note: 'No model configured.' };
    });
    expect(out).toContain("Sorry, I couldn't answer: index is locked");
    expect(out).toContain('(No model configured.)');
  });
});

describe('console output', () => {
  it('prints no secret, whether in a progress line (model-chosen text) or an answer', async () => {
    const key = ['sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc'].join('');
    const output = new PassThrough();
    const status = new PassThrough();
    const out = collect(output);
    const err = collect(status);
    await runConsole({
      input: Readable.from(['where is the key?\n']),
      output,
      status,
      interactive: false,
      repos: [repo],
      modeLabel: 'extractive',
      answerQuestion: async () => {
        return { text: `It is ${key}.`, citations: [], mode: 'llm' };
      },
    });
    await runConsole({
      input: Readable.from(['again?\n']),
      output,
      status,
      interactive: false,
      repos: [repo],
      modeLabel: 'extractive',
      answerQuestion: async (q) => {
        q.onProgress?.(`Searching for \`${key}\`…`);
        return { text: 'done', citations: [], mode: 'llm' };
      },
    });
    expect(out() + err()).not.toContain(key);
    expect(out() + err()).toContain('[REDACTED]');
  });
});

describe('markdownToText', () => {
  it('prints plain text: links as label (url), no emphasis, heading or code marks, code indented', () => {
    const md = [
      '## Where',
      'See [docs](https://x.test/p) and [https://x.test/q](https://x.test/q): **loadConfig** returns `Promise<Config>` & *more*.',
      '',
      '1. `src/a.ts:1-2`',
      '```ts',
      'const a = b < c && d > e;',
      '```',
    ].join('\n');
    expect(markdownToText(md)).toBe(
      ['Where', 'See docs (https://x.test/p) and https://x.test/q: loadConfig returns Promise<Config> & more.', '', '1. src/a.ts:1-2', '    const a = b < c && d > e;'].join('\n'),
    );
  });

  it('leaves snake_case, globs and arithmetic alone', () => {
    expect(markdownToText('set max_tokens for *.ts files: 2 * 3 * 4')).toBe('set max_tokens for *.ts files: 2 * 3 * 4');
  });
});
