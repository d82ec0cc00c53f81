import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';

/** The workspace Steward was installed in, as auth.test named it at start-up. */
export interface Workspace {
  readonly teamId: string;
  readonly enterpriseId: string | null;
}

/** What makes a delivery the same one again: an event's id, or an interaction's trigger id (each click, command and submission has its own). */
export function deliveryKey(body: Record<string, unknown>): string | null {
  if (typeof body.event_id === 'string') return `event:${body.event_id}`;
  if (typeof body.trigger_id === 'string') return `interaction:${body.trigger_id}`;
  return null;
}

/**
 * Runs before every listener. A request from another workspace (the same app installed elsewhere, signed with the
 * same secret) is refused: acknowledged, so Slack does not retry it, and nothing runs. A delivery seen before —
 * Slack's retry (X-Slack-Retry-Num) of an event it thinks was lost, or the same interaction sent twice — is
 * acknowledged and dropped, so nothing is applied twice.
 */
export function requestGuard(deps: SlackDeps, workspace: Workspace): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { context, next } = args;
    const body = args.body as unknown as Record<string, unknown>;
    const ack = 'ack' in args ? (args.ack as ((response?: unknown) => Promise<void>) | undefined) : undefined;
    const ours = context.teamId === workspace.teamId || (context.teamId === undefined && context.enterpriseId !== undefined && context.enterpriseId === workspace.enterpriseId);
    if (!ours) {
      deps.logger.warn({ team: context.teamId ?? null, enterprise: context.enterpriseId ?? null }, 'refused a request from another Slack workspace');
      if (ack) await ack(body.command === undefined ? undefined : { response_type: 'ephemeral', text: 'This Steward serves another Slack workspace.' });
      return;
    }
    const key = deliveryKey(body);
    if (key !== null && !(await deps.store.recordEventOnce(key, deps.clock.now().toISOString()))) {
      deps.logger.info({ key, retryNum: context.retryNum ?? null }, 'ignored a Slack delivery already handled');
      if (ack) await ack();
      return;
    }
    await next();
  };
}
