import { describe, expect, it } from 'vitest';
import { buildAnswerMessages } from '../../src/slack/blocks/answer-message.js';
import { markdownToMrkdwn } from '../../src/slack/slack-mrkdwn.js';

describe('markdownToMrkdwn', () => {
  it('converts bold, headings and links, escapes control characters, and strips fence languages', () => {
    const md = '## Where\n**loadConfig** returns `Promise<Config>` & more, see [docs](https://x.io/a?b=1) or [src/a.ts:1-2](https://github.com/o/r/blob/s/src/a.ts#L1-L2).\n> quoted\n```ts\nconst a = b < c;\n```';
    expect(markdownToMrkdwn(md)).toBe(
      '*Where*\n*loadConfig* returns `Promise&lt;Config&gt;` &amp; more, see <https://x.io/a?b=1|docs> or <https://github.com/o/r/blob/s/src/a.ts#L1-L2|src/a.ts:1-2>.\n> quoted\n```\nconst a = b &lt; c;\n```',
    );
  });

  it('leaves __dunder__ names alone', () => {
    expect(markdownToMrkdwn('see __init__.py')).toBe('see __init__.py');
  });
});

describe('answer messages', () => {
  it('render the core Markdown as Slack mrkdwn', () => {
    const [message] = buildAnswerMessages({ text: '**Config** -> [src/a.ts:1](https://github.com/o/r/blob/s/src/a.ts#L1) <!channel>', mode: 'llm', answerId: 1 });
    const section = JSON.stringify(message!.blocks[0]);
    expect(section).toContain('*Config* -&gt; <https://github.com/o/r/blob/s/src/a.ts#L1|src/a.ts:1> &lt;!channel&gt;');
  });
});
