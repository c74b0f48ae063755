import type { App } from '@slack/bolt';
import { buildHomeView } from '../blocks/home-view.js';
import type { SlackRuntime } from '../slack-runtime.js';

export function registerHomeListener(app: App, rt: SlackRuntime): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const log = rt.logger.child({ event_id: body.event_id, event_type: 'app_home_opened', user: event.user });
    const view = buildHomeView({ repoLabels: rt.repos.map((r) => r.label) });
    rt.inFlight.run('publish home', async () => {
      await client.views.publish({ user_id: event.user, view });
      log.debug('home tab published');
    });
  });
}
