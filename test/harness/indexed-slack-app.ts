/**
 * The Slack app over an indexed repository, as the end-to-end tests of answers need it: services
 * from the composition root, the first configured repository indexed, the real Bolt app listening
 * on a free port. The caller keeps the database (tests read it) and closes nothing else.
 */
import { buildServices } from '../../src/app.js';
import { reposOf } from '../../src/cli/runtime.js';
import type { Config } from '../../src/config/load-config.js';
import type { Logger } from '../../src/logging/logger.js';
import { createSlackApp, type SlackAppOptions } from '../../src/slack/slack-app.js';
import type { Db } from '../../src/storage/database.js';

export interface IndexedSlackApp {
  /** Where signed Events API deliveries go. */
  readonly eventsUrl: string;
  /** Stops the app and closes the database. */
  stop(): Promise<void>;
}

export async function startIndexedSlackApp(runtime: { config: Config; logger: Logger; db: Db }, options: SlackAppOptions = {}): Promise<IndexedSlackApp> {
  const { config, logger, db } = runtime;
  const repos = reposOf(config);
  const services = buildServices(runtime);
  await services.search.index(repos[0]!);
  const app = createSlackApp({ slack: config.slack, logger, db, answerQuestion: services.answerQuestion, repos, options });
  await app.start();
  return {
    eventsUrl: `http://127.0.0.1:${app.port}/slack/events`,
    async stop() {
      await app.stop();
      db.close();
    },
  };
}
