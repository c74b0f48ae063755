import type { App } from '@slack/bolt';
import { buildHomeView } from '../blocks/home-view.js';
import type { SlackRuntime } from '../slack-runtime.js';
import { type ProposalSlackDeps, publishHomeDeck } from './register-proposal-listeners.js';

/** The Home tab: the intro, and — when proposals are wired — the deck of pending cards ("1 of N"). */
export function registerHomeListener(app: App, rt: SlackRuntime, proposals?: Pick<ProposalSlackDeps, 'store'>): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const log = rt.logger.child({ event_id: body.event_id, event_type: 'app_home_opened', user: event.user });
    rt.inFlight.run('publish home', async () => {
      if (proposals) await publishHomeDeck(client, rt, proposals, event.user);
      else await client.views.publish({ user_id: event.user, view: buildHomeView({ repoLabels: rt.repos.map((r) => r.label) }) });
      log.debug('home tab published');
    });
  });
}
