/**
 * The one status message of a task in its card's thread (a pure builder): queued → running
 * (elapsed, current step, Cancel) → succeeded (links, tests) | failed (reason, Retry) | cancelled.
 */
import type { TaskStatusUpdate } from '../../tasks/types.js';
import { type KnownBlock, type SlackMessage, truncate } from './types.js';

export const TASK_RETRY_ACTION = 'task.retry';
export const TASK_CANCEL_ACTION = 'task.cancel';

const ICON = { queued: ':hourglass:', running: ':gear:', succeeded: ':white_check_mark:', failed: ':x:', cancelled: ':no_entry_sign:' } as const;

function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

const clean = (s: string) => s.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));

export function buildTaskStatusMessage(u: TaskStatusUpdate): SlackMessage {
  const t = u.task;
  const head = `${ICON[t.status]} *Task #${t.id}* (${t.executor}): `;
  let line: string;
  const extra: string[] = [];
  switch (t.status) {
    case 'queued':
      line = u.error && u.nextRunAt !== undefined ? `queued, retrying in ${elapsed(u.nextRunAt - u.now)} (attempt ${t.attempts} of ${t.maxAttempts} failed)` : 'queued';
      if (u.error) extra.push(`Last error: ${truncate(clean(u.error), 500)}`);
      break;
    case 'running':
      line = `running for ${elapsed(u.now - (t.startedAt ?? u.now))}${t.attempts > 1 ? ` (attempt ${t.attempts} of ${t.maxAttempts})` : ''}`;
      if (u.step) extra.push(`_${truncate(clean(u.step.replace(/[\r\n_]+/g, ' ')), 300)}_`);
      break;
    case 'succeeded': {
      const r = t.result;
      line = 'done';
      if (r) {
        if (r.links.length > 0) extra.push(r.links.map((l) => `<${l.url}|${clean(l.label ?? l.kind)}>`).join(' · '));
        if (r.summary) extra.push(truncate(clean(r.summary), 1000));
        if (r.filesChanged !== undefined) extra.push(`${r.filesChanged} file${r.filesChanged === 1 ? '' : 's'} changed`);
        if (r.tests) {
          const counts = [r.tests.passed !== undefined ? `${r.tests.passed} passed` : '', r.tests.failed !== undefined ? `${r.tests.failed} failed` : ''].filter(Boolean).join(', ');
          extra.push(`Tests${r.tests.command ? ` (\`${clean(r.tests.command)}\`)` : ''}: ${r.tests.ok ? 'passed' : 'FAILED'}${counts ? ` — ${counts}` : ''}`);
        }
      }
      break;
    }
    case 'failed':
      line = 'failed';
      extra.push(`Reason: ${truncate(clean(u.error ?? t.lastError ?? 'unknown'), 1500)}`);
      break;
    case 'cancelled':
      line = 'cancelled';
      break;
  }
  const text = `${head}${line} — ${clean(u.title)}`;
  const blocks: KnownBlock[] = [{ type: 'section', block_id: 'task-status', text: { type: 'mrkdwn', text: truncate([text, ...extra].join('\n'), 2900) } }];
  const value = JSON.stringify({ taskId: t.id });
  if (t.status === 'failed' || t.status === 'cancelled') {
    blocks.push({ type: 'actions', block_id: 'task-actions', elements: [{ type: 'button', action_id: TASK_RETRY_ACTION, text: { type: 'plain_text', text: 'Retry' }, style: 'primary', value }] });
  } else if (t.status === 'queued' || t.status === 'running') {
    blocks.push({ type: 'actions', block_id: 'task-actions', elements: [{ type: 'button', action_id: TASK_CANCEL_ACTION, text: { type: 'plain_text', text: 'Cancel' }, style: 'danger', value }] });
  }
  return { text: truncate(text, 3000), blocks };
}
