import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import type { Logger } from '../logging/logger.js';
import type { SlackPeople } from './slack-people.js';

/** What every Slack handler works with. */
export interface SlackDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly logger: Logger;
  readonly people: SlackPeople;
  /** Called after each change: the outbox dispatcher delivers the updates it caused (chat.update) without waiting for its next round. */
  readonly changed: () => void;
}

/** A button click, as Bolt hands it to a listener. */
export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
export type ButtonHandler = (args: ButtonArgs) => Promise<void>;
