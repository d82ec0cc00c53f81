import type { ChatPort } from '../../src/ports/chat.js';
import type { Surface } from '../chat/surface.js';

/**
 * The decision webhook as a surface: no routes (Steward calls out, nothing calls in), and the outbox's `webhook`
 * platform, delivered by its own pump. It says where decisions go by origin alone: a URL's path or query may
 * carry a token.
 */
export function webhookSurface(chat: ChatPort, url: string): Surface {
  return {
    name: 'webhook',
    routes: [],
    chat,
    health: () => ({ ok: true }),
    halted: () => null,
    start: async ({ say }) => say(`Decision webhook: each approval decision is POSTed, signed, to ${new URL(url).origin}.`),
    stop: async () => undefined,
  };
}
