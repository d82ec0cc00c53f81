import type { Surface } from '../chat/surface.js';
import type { Logger } from '../logging/logger.js';
import type { TeamsApp } from './teams-app.js';

/**
 * Teams as a surface: `POST /api/messages` on PORT and the outbox's Teams platform. Nothing to connect at start
 * (Teams calls in); development mode is announced as a warning, in the log and to the person who started it.
 */
export function teamsSurface(app: TeamsApp, logger: Logger, unauthenticated: boolean): Surface {
  return {
    name: 'teams',
    routes: [app.route],
    chat: app.chat,
    health: () => app.health(),
    halted: () => null,
    start: async ({ port, say }) => {
      if (unauthenticated) {
        const warning = 'Teams DEVELOPMENT MODE (TEAMS_ALLOW_UNAUTHENTICATED=1): requests to /api/messages are not verified; anyone who can reach this port can act as anyone. Never expose it.';
        logger.warn(warning);
        say(`WARNING: ${warning}`);
      }
      say(`Teams: POST /api/messages and GET /healthz on port ${port} (${app.mode}).`);
    },
    stop: async () => undefined,
  };
}
