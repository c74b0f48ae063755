/** Builds the real Slack app (Bolt HTTP receiver + WebClient) against the fake Slack, PORT=0. */
import type { Config } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { Answer, AnswerQuestion, Question } from '../../src/qa/types.js';
import type { Repository } from '../../src/repos/repository.js';
import { type SlackApp, type SlackAppDeps, type SlackAppOptions, createSlackApp } from '../../src/slack/slack-app.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';

export const SECRET = 'test-signing-secret';

export const REPOS: Repository[] = [
  { id: 'acme/api', root: '/tmp/acme-api', label: 'acme/api', github: { owner: 'acme', name: 'api', webUrl: 'https://github.com' } },
  { id: 'acme/web', root: '/tmp/acme-web', label: 'acme/web', github: { owner: 'acme', name: 'web', webUrl: 'https://github.com' } },
];

/** A scripted AnswerQuestion: records questions; answers with `reply(q)`, optionally after `gate`. */
export function scriptedAnswers(reply: (q: Question) => Answer | Promise<Answer> = defaultAnswer) {
  const questions: Question[] = [];
  let gate: Promise<void> | undefined;
  const answerQuestion: AnswerQuestion = async (q) => {
    questions.push(q);
    if (gate) await gate;
    return reply(q);
  };
  return {
    answerQuestion,
    questions,
    /** Holds every answer until the returned function is called. */
    hold(): () => void {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

export function defaultAnswer(q: Question): Answer {
  return {
    text: `Answer about **${q.repo.label}**: see [src/a.ts:1-3](https://github.com/acme/api/blob/abc/src/a.ts#L1-L3).`,
    citations: [{ path: 'src/a.ts', startLine: 1, endLine: 3, url: 'https://github.com/acme/api/blob/abc/src/a.ts#L1-L3' }],
    mode: 'extractive',
    note: 'no model configured',
  };
}

export interface TestSlackApp {
  readonly slack: FakeSlack;
  readonly app: SlackApp;
  readonly db: Db;
  readonly url: string;
  close(): Promise<void>;
}

export async function startTestApp(
  answerQuestion: AnswerQuestion,
  overrides: Partial<Config['slack']> = {},
  options: SlackAppOptions = {},
  extra: Pick<SlackAppDeps, 'subcommands'> & {
    /** Runs on the migrated database before the app starts (e.g. leaves work from a crashed process). */
    readonly prepare?: (db: Db) => void;
  } = {},
): Promise<TestSlackApp> {
  const slack = await startFakeSlack();
  const db = openDatabase(':memory:');
  migrate(db);
  const { prepare, ...deps } = extra;
  prepare?.(db);
  const app = createSlackApp({
    slack: {
      mode: 'http',
      botToken: 'xoxb-test',
      signingSecret: SECRET,
      apiUrl: slack.apiUrl,
      port: 0,
      admins: [],
      ...overrides,
    },
    logger: silentLogger(),
    db,
    answerQuestion,
    repos: REPOS,
    ...deps,
    options: { retryConfig: { retries: 2, minTimeout: 5, maxTimeout: 20, factor: 1, randomize: false }, progressIntervalMs: 20, host: '127.0.0.1', ...options },
  });
  await app.start();
  return {
    slack,
    app,
    db,
    url: `http://127.0.0.1:${app.port}/slack/events`,
    async close() {
      await app.stop();
      db.close();
      await slack.close();
    },
  };
}
