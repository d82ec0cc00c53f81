import type { Surface } from '../chat/surface.js';
import type { SlackApp } from './slack-app.js';

/**
 * Slack as a surface: `POST /slack/events` over HTTP (none in Socket Mode), the outbox's Slack platform, and a
 * health that turns degraded once Slack no longer takes the bot token. `startSlackApp` has already checked the
 * token with Slack (auth.test), so a surface exists only for a workspace that answered.
 */
export function slackSurface(app: SlackApp): Surface {
  return {
    name: 'slack',
    routes: app.route === null ? [] : [app.route],
    chat: app.chat,
    health: () => app.health(),
    halted: () => app.halted(),
    start: async ({ port, say }) => {
      await app.start();
      const { name, teamId, botUserId } = app.workspace;
      const how = app.route === null ? `Socket Mode; GET /healthz on port ${port}` : `POST /slack/events and GET /healthz on port ${port}`;
      say(`Slack: connected to ${name} (${teamId}) as bot user ${botUserId}, over ${how}. Stop with SIGTERM or Ctrl-C.`);
    },
    stop: () => app.stop(),
  };
}
