/**
 * The draft PR's body: what a reviewer needs to trust the change quickly — the agent's summary,
 * the diff stat, the tests Teammate ran with their counts and a numbered log excerpt, a link back
 * to the Slack card — and the hidden marker Teammate finds its own PR by. GitHub rejects bodies
 * over 65,536 characters, so each part has a budget and the whole is cut to fit, marker kept.
 */
import { scrubSecrets } from '../logging/scrub.js';
import { taskMarker, type TestSummary } from './types.js';

export const MAX_PR_BODY = 65_536;

export interface PrBodyInput {
  readonly taskId: number;
  readonly summary: string;
  readonly why?: string;
  readonly diffStat: string;
  readonly tests?: TestSummary & { readonly durationMs?: number; readonly timedOut?: boolean };
  readonly cardUrl?: string;
  /** Values that must never appear (the GitHub token, the model key), whatever their shape. */
  readonly secrets?: readonly string[];
}

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** A fence longer than any backtick run inside, so a log can't close it early. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

export function describeTests(t: TestSummary): string {
  const counts = t.passed !== undefined || t.failed !== undefined ? `${t.passed ?? 0} passed, ${t.failed ?? 0} failed` : 'no pass/fail counts in the output';
  return `${t.ok ? 'passed' : 'failed'} (${counts})`;
}

export function renderPrBody(input: PrBodyInput): string {
  const clean = (s: string) => {
    let out = scrubSecrets(s);
    for (const secret of input.secrets ?? []) if (secret) out = out.split(secret).join('[REDACTED]');
    return out;
  };
  const marker = taskMarker(input.taskId);
  const parts: string[] = [];
  parts.push('## Summary', '', cut(clean(input.summary.trim() || '(The agent gave no summary.)'), 12_000));
  if (input.why?.trim()) parts.push('', '## Why', '', cut(clean(input.why.trim()), 6_000));
  parts.push('', '## Changes', '', fenced(cut(input.diffStat.trim() || '(no changes)', 8_000)));
  parts.push('', '## Tests');
  const t = input.tests;
  if (!t) {
    parts.push('', 'No test command is configured or detected for this repository (set `test:` in `.teammate.yml`).');
  } else {
    const took = t.durationMs !== undefined ? ` in ${(t.durationMs / 1000).toFixed(1)} s` : '';
    parts.push('', `Teammate ran \`${clean(t.command ?? '?')}\`${took}: **${describeTests(t)}**${t.timedOut ? ' — stopped at the timeout' : ''}.`);
    if (t.excerpt) {
      const [first, ...rest] = clean(t.excerpt).split('\n');
      parts.push('', '<details><summary>Log excerpt (' + (first ?? '').replace(/:$/, '') + ')</summary>', '', fenced(cut(rest.join('\n'), 20_000)), '', '</details>');
    }
  }
  parts.push('', '---', `Opened by Teammate for task ${input.taskId}${input.cardUrl ? ` — [the proposal in Slack](${input.cardUrl})` : ''}. The change was made by a coding agent; review it like any other contribution.`);
  const body = parts.join('\n');
  const tail = `\n\n${marker}\n`;
  if (body.length + tail.length <= MAX_PR_BODY) return body + tail;
  return `${body.slice(0, MAX_PR_BODY - tail.length - 40)}\n\n…(cut to fit GitHub's limit)${tail}`;
}
