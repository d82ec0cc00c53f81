import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';

/** The workspace Steward was installed in, as auth.test named it at start-up. */
export interface Workspace {
  readonly teamId: string;
  readonly enterpriseId: string | null;
}

/**
 * Runs before every listener. A request from another workspace (the same app installed elsewhere, signed with the
 * same secret) is refused: acknowledged, so Slack does not retry it, and nothing runs.
 *
 * An event Slack delivers again (X-Slack-Retry-Num: it thinks the first was lost) is dropped by its event_id,
 * recorded before the listener runs and forgotten if the listener fails, so a retry after a failure is handled
 * and a retry after a success is not. Commands, clicks and submissions are not deduplicated here: Slack does not
 * retry them, each carries a fresh trigger id, and the core applies each answer or claim once, so nothing stands
 * between them and their ack.
 */
export function requestGuard(deps: SlackDeps, workspace: Workspace): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { context, next } = args;
    const body = args.body as unknown as Record<string, unknown>;
    if (context.teamId !== workspace.teamId) {
      deps.logger.warn({ team: context.teamId ?? null, enterprise: context.enterpriseId ?? null }, 'refused a request from another Slack workspace');
      const ack = 'ack' in args ? (args.ack as ((response?: unknown) => Promise<void>) | undefined) : undefined;
      if (ack) await ack(body.command === undefined ? undefined : { response_type: 'ephemeral', text: 'This Steward serves another Slack workspace.' });
      return;
    }
    const eventId = body.type === 'event_callback' && typeof body.event_id === 'string' ? `event:${body.event_id}` : null;
    if (eventId === null) return next();
    if (!(await deps.store.recordEventOnce(eventId, deps.clock.now().toISOString()))) {
      deps.logger.info({ eventId: body.event_id, retryNum: context.retryNum ?? null }, 'ignored a Slack event already handled');
      return;
    }
    try {
      await next();
    } catch (error) {
      await deps.store.forgetEvent(eventId);
      throw error;
    }
  };
}
