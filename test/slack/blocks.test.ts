import { describe, expect, it } from 'vitest';
import { FEEDBACK_DOWN, FEEDBACK_UP, buildAnswerMessages } from '../../src/slack/blocks/answer-message.js';
import { buildHomeView } from '../../src/slack/blocks/home-view.js';
import { splitMrkdwn } from '../../src/slack/blocks/split-mrkdwn.js';
import { buildErrorMessage, buildHelpMessage, buildPlaceholderMessage } from '../../src/slack/blocks/status-messages.js';
import type { KnownBlock, SlackMessage } from '../../src/slack/blocks/types.js';

const fences = (s: string) => s.split('```').length - 1;

/** A deterministic long answer: prose paragraphs and fenced code blocks of varying length. */
function longAnswer(targetChars: number): string {
  const parts: string[] = [];
  let i = 0;
  while (parts.join('\n\n').length < targetChars) {
    i++;
    parts.push(`Paragraph ${i}: the handler in [src/f${i}.ts:1-9](https://example.com/src/f${i}.ts#L1-L9) validates the input and ${'then does more work '.repeat(8)}`);
    const lines = Array.from({ length: 10 + (i % 7) * 25 }, (_, j) => `  const value${j} = compute(${j}); // line ${j} of block ${i}`);
    parts.push(`\`\`\`ts\n${lines.join('\n')}\n\`\`\``);
  }
  return parts.join('\n\n');
}

function sectionTexts(m: SlackMessage): string[] {
  return m.blocks.filter((b): b is Extract<KnownBlock, { type: 'section' }> => b.type === 'section').map((b) => b.text?.text ?? '');
}

describe('splitMrkdwn', () => {
  it('keeps short text whole', () => {
    expect(splitMrkdwn('hello\n\nworld', 100)).toEqual(['hello\n\nworld']);
    expect(splitMrkdwn('   ', 100)).toEqual([]);
  });

  it('splits on paragraph boundaries first', () => {
    const a = 'a'.repeat(60);
    const b = 'b'.repeat(60);
    expect(splitMrkdwn(`${a}\n\n${b}`, 100)).toEqual([a, b]);
  });

  it('closes and reopens a code fence that has to be split', () => {
    const code = `\`\`\`\n${Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n')}\n\`\`\``;
    const chunks = splitMrkdwn(code, 80);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(80);
      expect(fences(c) % 2).toBe(0);
    }
    // Nothing lost: removing the added fences gives back every line in order.
    const lines = chunks.flatMap((c) => c.split('\n')).filter((l) => l !== '```');
    expect(lines).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i}`));
  });

  it('cuts a single overlong line at spaces', () => {
    const words = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
    const chunks = splitMrkdwn(words, 200);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(200);
    expect(chunks.join(' ')).toBe(words);
  });

  it('balances an unclosed fence', () => {
    const chunks = splitMrkdwn(`intro\n\`\`\`\n${'x = 1\n'.repeat(40)}`, 100);
    for (const c of chunks) expect(fences(c) % 2).toBe(0);
  });
});

describe('buildAnswerMessages', () => {
  it('builds sections, the mode line and feedback buttons carrying the answer id', () => {
    const [message, ...rest] = buildAnswerMessages({ text: 'Short *answer*.', mode: 'extractive', note: 'no model configured', answerId: 42 });
    expect(rest).toEqual([]);
    expect(message).toEqual({
      text: 'Short *answer*.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Short *answer*.' } },
        { type: 'context', block_id: 'answer_mode', elements: [{ type: 'mrkdwn', text: 'extractive: no model configured' }] },
        {
          type: 'actions',
          block_id: 'answer_feedback',
          elements: [
            { type: 'button', action_id: FEEDBACK_UP, text: { type: 'plain_text', text: '👍 Helpful', emoji: true }, value: '42' },
            { type: 'button', action_id: FEEDBACK_DOWN, text: { type: 'plain_text', text: '👎 Not helpful', emoji: true }, value: '42' },
          ],
        },
      ],
    });
  });

  it('splits a 20k-character answer with code fences into valid messages', () => {
    const text = longAnswer(20_000);
    expect(text.length).toBeGreaterThanOrEqual(20_000);
    const messages = buildAnswerMessages({ text, mode: 'llm', answerId: 7, preface: '<@U1> asked: everything' });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      expect(m.text.length).toBeGreaterThan(0);
      expect(m.text.length).toBeLessThanOrEqual(40_000);
      expect(JSON.stringify(m.blocks).length).toBeLessThan(12_000 + 2_000);
      const totalText = sectionTexts(m).reduce((n, s) => n + s.length, 0);
      expect(totalText).toBeLessThanOrEqual(11_000);
      for (const s of sectionTexts(m)) {
        expect(s.length).toBeLessThanOrEqual(3000);
        expect(fences(s) % 2).toBe(0);
      }
    }
    // Preface first, buttons only at the end.
    expect(messages[0]!.blocks[0]).toMatchObject({ type: 'context', block_id: 'answer_preface' });
    expect(messages.filter((m) => m.blocks.some((b) => b.type === 'actions'))).toHaveLength(1);
    expect(messages.at(-1)!.blocks.at(-1)).toMatchObject({ type: 'actions' });
    // Every paragraph survives the split.
    const all = messages.flatMap(sectionTexts).join('\n');
    const paragraphs = text.match(/Paragraph \d+:/g) ?? [];
    expect(paragraphs.length).toBeGreaterThan(2);
    for (const p of paragraphs) expect(all).toContain(p);
  });

  it('respects a block budget by starting another message', () => {
    const text = Array.from({ length: 30 }, (_, i) => `para ${i} ${'z'.repeat(50)}`).join('\n\n');
    const messages = buildAnswerMessages({ text, mode: 'llm', answerId: 1, limits: { sectionText: 60, blocksPerMessage: 10 } });
    for (const m of messages) expect(m.blocks.length).toBeLessThanOrEqual(10);
    expect(messages.flatMap(sectionTexts)).toHaveLength(30);
  });

  it('says so when the answer is empty', () => {
    const [m] = buildAnswerMessages({ text: '  ', mode: 'llm', answerId: 1 });
    expect(sectionTexts(m!)).toEqual(['_(The answer came back empty.)_']);
  });
});

describe('status messages and home view', () => {
  it('placeholder shows the latest progress on one line', () => {
    expect(buildPlaceholderMessage().text).toBe('Looking into it…');
    expect(buildPlaceholderMessage('searching for\n`loadConfig`').text).toBe('Looking into it…\n_searching for `loadConfig`_');
  });

  it('error says what and how to fix it', () => {
    expect(buildErrorMessage('I could not read the thread.', 'Reinstall the app.').text).toBe(':warning: I could not read the thread. Reinstall the app.');
  });

  it('help lists the repositories', () => {
    expect(buildHelpMessage(['acme/api', 'acme/web']).text).toContain('`acme/api`, `acme/web`');
  });

  it('home view names what Teammate is, how to ask and the repositories', () => {
    const view = buildHomeView({ repoLabels: ['acme/api'] });
    expect(view.type).toBe('home');
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('/teammate ask');
    expect(text).toContain('`acme/api`');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(buildHomeView({ repoLabels: [] }).blocks)).toContain('TEAMMATE_REPOS');
  });
});

describe('quoted text in status messages', () => {
  it('shows mentions, links and HTML from errors as text, and scrubs tokens', () => {
    const token = ['xoxb', '1234567890', 'abcdefghijkl'].join('-');
    const msg = buildErrorMessage('model endpoint answered HTTP 502: <html><!here></html>', `retry with ${token}`);
    const sent = JSON.stringify(msg);
    expect(sent).not.toContain('<!here>');
    expect(sent).not.toContain('<html>');
    expect(sent).not.toContain(token);
    expect(msg.text).toContain('&lt;html&gt;&lt;!here&gt;');
    expect(JSON.stringify(buildPlaceholderMessage('Searching for `<!channel>`…'))).toContain('&lt;!channel&gt;');
  });
});
