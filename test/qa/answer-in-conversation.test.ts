import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsole } from '../../src/console/run-console.js';
import { answerInConversation } from '../../src/qa/answer-in-conversation.js';
import type { Answer, AnswerQuestion } from '../../src/qa/types.js';
import type { Repository } from '../../src/repos/repository.js';
import { createAnswerStore } from '../../src/storage/answer-store.js';
import { createConversationStore } from '../../src/storage/conversation-store.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';

const repos: Repository[] = [
  { id: 'acme/api', root: '/tmp/acme-api', label: 'acme/api' },
  { id: 'acme/web', root: '/tmp/acme-web', label: 'acme/web' },
];
const answer: Answer = { text: 'See src/a.ts:1-3.', citations: [{ path: 'src/a.ts', startLine: 1, endLine: 3, url: 'src/a.ts:1-3' }], mode: 'extractive' };
const answerQuestion: AnswerQuestion = async () => answer;

function stores() {
  const db = openDatabase(':memory:');
  migrate(db);
  return { db, answers: createAnswerStore(db), conversations: createConversationStore(db) };
}

describe('answerInConversation', () => {
  it('picks the named repository, records the answer and remembers the thread for follow-ups', async () => {
    const { db, answers, conversations } = stores();
    const deps = { answerQuestion, answers, conversations, repos };
    const out = await answerInConversation(deps, { text: 'in acme/web: where is the router?', place: { surface: 'slack', channel: 'C1', threadTs: '1.0', questionTs: '1.0', userId: 'U1' } });
    expect(out).toMatchObject({ kind: 'answered', repo: { id: 'acme/web' } });
    expect(conversations.find('C1', '1.0')).toEqual({ repoId: 'acme/web' });
    expect(db.prepare('SELECT surface, channel, repo_id, question, mode FROM answers').all()).toEqual([
      { surface: 'slack', channel: 'C1', repo_id: 'acme/web', question: 'where is the router?', mode: 'extractive' },
    ]);
    expect(await answerInConversation(deps, { text: '  ', place: { surface: 'slack' } })).toEqual({ kind: 'help', repoId: 'acme/api' });
    expect(await answerInConversation({ ...deps, repos: [] }, { text: 'x?', place: { surface: 'slack' } })).toEqual({ kind: 'no-repository' });
  });

  it('does not record an answer that arrives after the caller gave up', async () => {
    const { db, answers, conversations } = stores();
    const controller = new AbortController();
    const late: AnswerQuestion = async () => {
      controller.abort(new Error('too slow'));
      return answer;
    };
    await expect(answerInConversation({ answerQuestion: late, answers, conversations, repos }, { text: 'x?', place: { surface: 'slack' }, signal: controller.signal })).rejects.toThrow('too slow');
    expect(db.prepare('SELECT COUNT(*) AS n FROM answers').get()).toEqual({ n: 0 });
  });

  it('records the console’s answers too', async () => {
    const { db, answers } = stores();
    const output = new PassThrough();
    output.resume();
    await runConsole({ input: Readable.from(['where is auth?\n']), output, status: new PassThrough(), interactive: false, repos, modeLabel: 'x', answerQuestion, answers });
    expect(db.prepare('SELECT surface, channel, repo_id, question, answer FROM answers').all()).toEqual([
      { surface: 'console', channel: null, repo_id: 'acme/api', question: 'where is auth?', answer: 'See src/a.ts:1-3.' },
    ]);
  });
});
