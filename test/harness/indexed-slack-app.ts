/**
 * The Slack app over an indexed repository, as the end-to-end tests of answers need it: the
 * configured database migrated, services from the composition root, the first configured
 * repository indexed, the real Bolt app listening on a free port.
 */
import { buildServices } from '../../src/app.js';
import { reposOf } from '../../src/cli/runtime.js';
import type { Config } from '../../src/config/load-config.js';
import type { Logger } from '../../src/logging/logger.js';
import { createSlackApp, type SlackAppOptions } from '../../src/slack/slack-app.js';
import { type Db, openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';

export interface IndexedSlackApp {
  /** Where signed Events API deliveries go. */
  readonly eventsUrl: string;
  /** The app's database at config.dbPath (tests read what was stored). */
  readonly db: Db;
  /** Stops the app and closes the database. */
  stop(): Promise<void>;
}

export async function startIndexedSlackApp(config: Config, logger: Logger, options: SlackAppOptions = {}): Promise<IndexedSlackApp> {
  const db = openDatabase(config.dbPath);
  migrate(db);
  const repos = reposOf(config);
  const services = buildServices({ config, logger, db });
  await services.search.index(repos[0]!);
  const app = createSlackApp({ slack: config.slack, logger, db, answerQuestion: services.answerQuestion, repos, options });
  await app.start();
  return {
    eventsUrl: `http://127.0.0.1:${app.port}/slack/events`,
    db,
    async stop() {
      await app.stop();
      db.close();
    },
  };
}
