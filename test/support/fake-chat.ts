import type { OutboxDelivery } from '../../src/ports/attestation-store.js';
import type { ChatDelivery, ChatPort, PlatformReach } from '../../src/ports/chat.js';

/** What the fake does on one delivery attempt (counted from 1 across the fake's life). */
export type ScriptedAnswer = ChatDelivery | { readonly status: 'throw'; readonly error: string };

export interface FakeChatOptions {
  readonly platform?: string;
  readonly minIntervalMs?: number;
  /** Answers for chosen attempts, by attempt number; every other attempt is delivered. */
  readonly script?: Readonly<Record<number, ScriptedAnswer>>;
  /** Whom it reaches (default: anyone, every channel, as the console does). */
  readonly reach?: Omit<PlatformReach, 'platform'>;
}

export interface Delivered {
  readonly attempt: number;
  readonly outboxId: number;
  readonly messageId: string;
  readonly message: OutboxDelivery;
}

/**
 * A recording chat port: it keeps every message it accepted, in order, with the platform id it gave it, and
 * answers chosen attempts with a failure, a 429 or a thrown error.
 */
export class FakeChat implements ChatPort {
  readonly platform: string;
  readonly minIntervalMs: number;
  readonly reach: PlatformReach;
  readonly delivered: Delivered[] = [];
  /** Every attempt, delivered or not, by outbox id. */
  readonly attempts: number[] = [];
  private readonly script: Readonly<Record<number, ScriptedAnswer>>;

  constructor(options: FakeChatOptions = {}) {
    this.platform = options.platform ?? 'fake';
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.script = options.script ?? {};
    this.reach = { platform: this.platform, ...(options.reach ?? { people: 'anyone', teamChannels: 'all', securityChannel: true }) };
  }

  async deliver(message: OutboxDelivery): Promise<ChatDelivery> {
    this.attempts.push(message.messageId);
    const attempt = this.attempts.length;
    const scripted = this.script[attempt];
    if (scripted?.status === 'throw') throw new Error(scripted.error);
    if (scripted) return scripted;
    // An update keeps the platform id of the message it rewrites, as chat.update does.
    const messageId = message.delivered?.messageId ?? `fake-${attempt}`;
    this.delivered.push({ attempt, outboxId: message.messageId, messageId, message });
    return { status: 'sent', messageId, channel: message.addressee.kind === 'person' ? `D-${message.addressee.personId}` : (message.addressee.kind === 'webhook' ? 'webhook' : (message.addressee.channel ?? 'C-security')) };
  }

  /** Outbox ids delivered, in order. */
  deliveredIds(): number[] {
    return this.delivered.map((d) => d.outboxId);
  }
}
