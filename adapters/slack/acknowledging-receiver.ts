import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import { actionIds, slashCommand, viewCallbackIds } from './slack-registry.js';

const registeredActions: ReadonlySet<string> = new Set(actionIds);
const registeredViews: ReadonlySet<string> = new Set(viewCallbackIds);

/**
 * Whether one of Steward's listeners takes this request (and acknowledges it), as Bolt routes it: `/steward`,
 * Steward's own buttons (Bolt hands a listener the first action) and modals, and every Events API event, which
 * Bolt acknowledges itself before any listener runs, whether Steward subscribed to it or not. `function_executed`
 * is the one event Bolt leaves its listener to acknowledge, and Steward has no functions.
 */
export function stewardHandles(body: Readonly<Record<string, unknown>>): boolean {
  if (body.command !== undefined) return body.command === slashCommand.command;
  if (body.event !== undefined) return (body.event as { type?: unknown } | null)?.type !== 'function_executed';
  if (body.type === 'block_actions') {
    const [first] = Array.isArray(body.actions) ? (body.actions as Array<{ action_id?: unknown }>) : [];
    return typeof first?.action_id === 'string' && registeredActions.has(first.action_id);
  }
  if (body.type === 'view_submission') {
    const callbackId = (body.view as { callback_id?: unknown } | undefined)?.callback_id;
    return typeof callbackId === 'string' && registeredViews.has(callbackId);
  }
  return false;
}

/**
 * Bolt's receiver (HTTP or Socket Mode) with everything no listener of Steward's takes acknowledged at once and
 * dropped: controls and modals Steward did not register (a link button, a `view_closed`, a shortcut, a select's
 * `block_suggestion`), legacy interactions, and `app_rate_limited`, which has no inner event, so Bolt neither
 * routes nor acknowledges it. Left to Bolt, each would wait out its 3 seconds and be answered 404: a failed
 * delivery, and Slack limits, then disables, the event subscriptions of an app that fails too many.
 */
export function acknowledgingReceiver(inner: Receiver, options: { readonly logger: Logger; readonly teamId: string }): Receiver {
  const { logger, teamId } = options;
  const dropped = async (event: ReceiverEvent): Promise<void> => {
    await event.ack();
    const { body } = event;
    if (body.type === 'app_rate_limited') {
      const minute = typeof body.minute_rate_limited === 'number' ? new Date(body.minute_rate_limited * 1000).toISOString() : null;
      const fields = { team: body.team_id ?? null, limitedFrom: minute };
      // Slack drops the workspace's events from that minute on: leavers and guests among them go unnoticed.
      if (body.team_id === teamId) logger.error(fields, 'Slack is rate limiting its events to Steward: events from that minute on are dropped, leavers and guest changes among them');
      else logger.warn(fields, 'Slack is rate limiting events from another workspace to this app');
      return;
    }
    logger.debug({ type: body.type ?? null, command: body.command ?? null }, 'acknowledged a Slack request Steward does not handle');
  };
  return {
    init: (app: App) => {
      // The receiver calls only `processEvent` on the app it is given: this one decides first, then hands over.
      const deciding = Object.create(app) as App;
      deciding.processEvent = (event) => (stewardHandles(event.body) ? app.processEvent(event) : dropped(event));
      inner.init(deciding);
    },
    start: (...args: unknown[]) => inner.start(...args),
    stop: (...args: unknown[]) => inner.stop(...args),
  };
}
