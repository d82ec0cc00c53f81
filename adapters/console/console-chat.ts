import { randomBytes } from 'node:crypto';
import type { ActionId, Addressee, MessageAction, OutgoingMessage } from '../../src/messages/outgoing-message.js';
import type { OutboxDelivery } from '../../src/ports/attestation-store.js';
import type { ChatDelivery, ChatPort, PlatformReach } from '../../src/ports/chat.js';
import { confirmAllCovers } from '../../src/messages/confirm-all.js';
import { hasLiveActions, renderMessage } from '../text/render-message.js';

/** What a number stands for in this console session: an action on a message, and the items it is about. */
export interface PressableAction {
  readonly id: ActionId;
  readonly label: string;
  readonly value: string;
  readonly refs: readonly string[];
}

interface Shown {
  readonly addressee: Addressee;
  message: OutgoingMessage;
}

const channelOf = (addressee: Addressee): string | null => (addressee.kind === 'person' ? addressee.email : addressee.kind === 'webhook' ? 'webhook' : addressee.channel);

/**
 * The console as a chat platform: each delivered message is printed with whom it is for and its actions
 * numbered. A number stands for one action on one thing (Confirm attestation 7) for the whole session, in every
 * message that offers it, so pressing an old number is answered by the core ("already confirmed"), as a click
 * on an old Slack button would be. An update (an item resolved) re-prints the message without its buttons.
 */
export class ConsoleChat implements ChatPort {
  readonly platform = 'console';
  readonly minIntervalMs = 0;
  /** The console shows every message: every person's, every team's channel, the security channel. */
  readonly reach: PlatformReach = { platform: 'console', people: 'anyone', teamChannels: 'all', securityChannel: true };
  private announcement: string | null = null;
  private readonly session: string;
  private delivered = 0;
  private readonly shown = new Map<string, Shown>();
  private readonly numbers = new Map<string, number>();
  private readonly actions: PressableAction[] = [];

  constructor(
    private readonly write: (text: string) => void,
    // Message ids outlive the session in the outbox; a per-session prefix keeps an update from a past session
    // from landing on this session's message of the same number.
    session: string = randomBytes(3).toString('hex'),
  ) {
    this.session = session;
  }

  async deliver(delivery: OutboxDelivery): Promise<ChatDelivery> {
    const replaced = delivery.delivered?.messageId ?? null;
    const messageId = replaced ?? `${this.session}-${(this.delivered += 1)}`;
    this.shown.set(messageId, { addressee: delivery.addressee, message: delivery.message });
    if (this.announcement !== null) this.write(this.announcement);
    this.announcement = null;
    this.write(`\n${this.render(delivery.message, delivery.addressee, replaced !== null)}`);
    return { status: 'sent', messageId, channel: channelOf(delivery.addressee) };
  }

  /** A line to print before the next message delivered, if one is (null: forget it). */
  announce(line: string | null): void {
    this.announcement = line;
  }

  /** The action numbered `n` in this session. */
  action(n: number): PressableAction | undefined {
    return this.actions[n - 1];
  }

  /**
   * The messages with something left to press: those to `email`, or with `all`, every one (channels too),
   * rendered as they stand now.
   */
  inbox(email: string | null, all: boolean): string[] {
    return [...this.shown.values()]
      .filter(({ addressee, message }) => hasLiveActions(message) && (all || (addressee.kind === 'person' && addressee.email === email)))
      .map(({ addressee, message }) => this.render(message, addressee, false));
  }

  private render(message: OutgoingMessage, addressee: Addressee, update: boolean): string {
    for (const section of message.sections) for (const action of section.actions) this.number(action, [section.itemRef]);
    // What Confirm all covers is the core's count (the open sections with their own Confirm), shown by ref.
    const covered = new Set(confirmAllCovers(message.sections));
    const open = message.sections.filter((s) => s.attestationId !== undefined && covered.has(s.attestationId)).map((s) => s.itemRef);
    for (const action of message.actions) this.number(action, open);
    return renderMessage(message, addressee, { update, brief: true, numberOf: (action) => this.number(action, []) });
  }

  private number(action: MessageAction, refs: readonly string[]): number {
    const key = `${action.id}:${action.value}`;
    const known = this.numbers.get(key);
    if (known !== undefined) return known;
    this.actions.push({ id: action.id, label: action.label, value: action.value, refs });
    this.numbers.set(key, this.actions.length);
    return this.actions.length;
  }
}
