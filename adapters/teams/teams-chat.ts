import { CardFactory, MessageFactory, type Activity, type CloudAdapter, type ConversationParameters, type TurnContext } from 'botbuilder';
import type { DigestChart } from '../../src/digest/digest-view.js';
import type { Addressee } from '../../src/messages/outgoing-message.js';
import type { OutboxDelivery } from '../../src/ports/attestation-store.js';
import type { ChatDelivery, ChatPort, PlatformReach } from '../../src/ports/chat.js';
import { accountOn } from '../../src/ports/chat-identity-store.js';
import type { Store } from '../../src/ports/store.js';
import { drawWithin } from '../charts/draw-within.js';
import type { Logger } from '../logging/logger.js';
import type { AdaptiveCard } from './cards/adaptive-card.js';
import { fitsTeamsImage, pngSize, type DigestChartImage } from './cards/digest-chart-image.js';
import { noticeCard } from './cards/notice-card.js';
import { teamsPlatform } from './teams-account.js';
import { parseAddress, referenceTo, serializeAddress, type TeamsAddress } from './teams-address.js';
import { teamsFailure } from './teams-failure.js';
import { ConversationPace } from './conversation-pace.js';

export interface TeamsChatOptions {
  readonly adapter: CloudAdapter;
  /** The bot's app id ('' in development mode), the identity proactive messages are sent as. */
  readonly botAppId: string;
  /** The audience of the bot's own tokens, for creating a conversation (the Bot Framework's scope). */
  readonly audience: string;
  readonly store: Store;
  /**
   * The delivery's cards; reads what they need from the store first (mentions' Teams ids, which Approve asks for the
   * ref). `chart` is a digest's chart as drawn for this delivery (null for any other message).
   */
  readonly render: (delivery: OutboxDelivery, chart: DigestChartImage | null) => Promise<readonly AdaptiveCard[]>;
  /**
   * Draws a digest's chart as a PNG, off the thread that answers Teams (adapters/charts' renderer runs in a worker).
   * Without one, a digest is posted without its chart, saying so.
   */
  readonly drawChart?: (chart: DigestChart) => Promise<Uint8Array>;
  /**
   * The longest a chart may take (10 s by default; one takes about 0.1 s): past it the digest goes without, well
   * within the delivery's lease, so a stuck renderer never holds the outbox nor lets another dispatcher post twice.
   */
  readonly chartTimeoutMs?: number;
  /** Least time between two deliveries of the dispatcher: Teams allows about 30 a second per app and tenant. */
  readonly minIntervalMs?: number;
  /** Least time between two messages to one conversation: about 7 a second. */
  readonly conversationIntervalMs?: number;
  readonly logger: Logger;
}

type Target = { readonly address: TeamsAddress & { readonly conversationId: string } } | Exclude<ChatDelivery, { status: 'sent' }>;

/**
 * Teams as the core's chat platform: a person's messages go to their 1:1 chat with Steward (its conversation
 * reference kept when they install Steward or write to it, or created from their Teams user id when Steward met
 * them only in a team's roster), a team's and the security channel's to the channel bound to it with
 * `@Steward here …`. A message is one card, or several when it is too big for one (the ids of all are kept); a
 * message delivered before is updated in place, so a resolved item keeps no live button. A digest's chart is drawn
 * when it is delivered (`drawChart`) and travels on its card as a data: URI; the digest never waits on it.
 *
 * botbuilder's own traps, handled here: its HTTP pipeline retried a 429 by itself (removed in teams-auth.ts, so the
 * outbox sees the Retry-After), and an error thrown inside a continueConversationAsync callback is swallowed by
 * onTurnError, so the send looks successful: every send is caught inside the callback and its outcome passed out.
 */
export class TeamsChat implements ChatPort {
  readonly platform = teamsPlatform;
  readonly minIntervalMs: number;
  /** Reaches people linked to a Teams account (met in a chat or a team's roster) and the channels bound in the store. */
  readonly reach: PlatformReach = { platform: teamsPlatform, people: 'linked', teamChannels: 'bound', securityChannel: 'bound' };
  private readonly pace: ConversationPace;

  constructor(private readonly options: TeamsChatOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 40;
    this.pace = new ConversationPace(options.conversationIntervalMs ?? 150);
  }

  async deliver(delivery: OutboxDelivery): Promise<ChatDelivery> {
    const chart = await this.chartFor(delivery);
    const outcome = await this.send(delivery, await this.options.render(delivery, chart));
    // Teams documents that a Base64 image is not counted in a message's size, but its limits have moved over the years:
    // a card refused with its chart (400, 413) goes again without it, since the figures matter more than their picture.
    if (chart?.status === 'drawn' && outcome.status === 'permanent_error' && outcome.reason === 'refused') {
      this.options.logger.error({ delivery: delivery.id, error: outcome.error, pngBytes: chart.png.byteLength }, 'Teams refused the digest with its chart; it is sent again without it');
      return this.send(delivery, await this.options.render(delivery, { status: 'not_drawn', reason: 'refused' }));
    }
    return outcome;
  }

  /**
   * A digest's chart, drawn for this delivery; null for any other message. A chart that cannot be drawn, or that
   * Teams would not show inline, is logged and left off: the digest is posted without it, never held back by it.
   */
  private async chartFor(delivery: OutboxDelivery): Promise<DigestChartImage | null> {
    const digest = delivery.message.kind === 'digest' ? delivery.message.digest : undefined;
    if (digest === undefined) return null;
    const { drawChart, logger } = this.options;
    if (drawChart === undefined) return { status: 'not_drawn', reason: 'no_renderer' };
    try {
      const png = await drawWithin(drawChart(digest.chart), this.options.chartTimeoutMs);
      if (fitsTeamsImage(png)) return { status: 'drawn', png };
      logger.error({ delivery: delivery.id, pngBytes: png.byteLength, size: pngSize(png) }, 'the digest chart is too large for a Teams card (over 1024 × 1024 pixels or 1 MB); the digest is sent without it');
      return { status: 'not_drawn', reason: 'too_large' };
    } catch (error) {
      logger.error({ err: error, delivery: delivery.id }, 'the digest chart could not be drawn; the digest is sent without it');
      return { status: 'not_drawn', reason: 'failed' };
    }
  }

  private async send(delivery: OutboxDelivery, cards: readonly AdaptiveCard[]): Promise<ChatDelivery> {
    const delivered = delivery.delivered;
    if (delivered !== null && delivered.channel !== null) {
      const address = parseAddress(delivered.channel);
      if (address?.conversationId != null) return this.update({ ...address, conversationId: address.conversationId }, delivered.messageId.split(','), cards);
    }
    const target = await this.target(delivery.addressee);
    if (!('address' in target)) return target;
    return this.post(target.address, cards);
  }

  private async post(address: TeamsAddress & { readonly conversationId: string }, cards: readonly AdaptiveCard[]): Promise<ChatDelivery> {
    const ids: string[] = [];
    for (const card of cards) {
      await this.pace.turn(address.conversationId);
      const sent = await this.inConversation(address, async (context) => (await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))))?.id ?? null, 'send');
      if (!sent.ok) {
        // Cards already posted stay; the ones after are lost from this delivery, which is retried whole: said once.
        if (ids.length > 0) this.options.logger.warn({ conversation: address.conversationId, posted: ids.length, of: cards.length }, 'a message of several cards was cut short; it is sent again whole');
        return sent.failure;
      }
      if (sent.value === null) return { status: 'transient_error', error: 'Teams answered the send without an activity id' };
      ids.push(sent.value);
    }
    return { status: 'sent', messageId: ids.join(','), channel: serializeAddress(address) };
  }

  /**
   * The message's cards rewritten in place; a card more than before is posted. A card fewer: its items moved onto the
   * cards above (a resolved item takes less room), so it is rewritten to say so, or its buttons would stay live.
   */
  private async update(address: TeamsAddress & { readonly conversationId: string }, ids: readonly string[], cards: readonly AdaptiveCard[]): Promise<ChatDelivery> {
    const kept: string[] = [];
    const moved = noticeCard('This part of the message is now shown above.');
    for (const [index, card] of [...cards, ...ids.slice(cards.length).map(() => moved)].entries()) {
      await this.pace.turn(address.conversationId);
      const id = ids[index];
      const attachment = CardFactory.adaptiveCard(card);
      const done = await this.inConversation(
        address,
        async (context) => {
          if (id === undefined) return (await context.sendActivity(MessageFactory.attachment(attachment)))?.id ?? null;
          await context.updateActivity({ type: 'message', id, attachments: [attachment], conversation: context.activity.conversation } as Partial<Activity>);
          return id;
        },
        id === undefined ? 'send' : 'update',
      );
      if (!done.ok) return done.failure;
      if (done.value !== null) kept.push(done.value);
    }
    return { status: 'sent', messageId: kept.join(','), channel: serializeAddress(address) };
  }

  /**
   * Runs a send in the conversation, catching its failure inside the callback (botbuilder's onTurnError would
   * swallow it) and turning it into the core's terms.
   */
  private async inConversation<T>(address: TeamsAddress & { readonly conversationId: string }, send: (context: TurnContext) => Promise<T>, what: 'send' | 'update'): Promise<{ ok: true; value: T } | { ok: false; failure: Exclude<ChatDelivery, { status: 'sent' }> }> {
    let outcome: { ok: true; value: T } | { ok: false; failure: Exclude<ChatDelivery, { status: 'sent' }> } = { ok: false, failure: { status: 'transient_error', error: `Teams ${what}: the callback did not run` } };
    try {
      await this.options.adapter.continueConversationAsync(this.options.botAppId, referenceTo(address, this.botId()), async (context) => {
        try {
          outcome = { ok: true, value: await send(context) };
        } catch (error) {
          outcome = { ok: false, failure: teamsFailure(error, what, address.userId === null ? 'channel' : 'person') };
        }
      });
    } catch (error) {
      outcome = { ok: false, failure: teamsFailure(error, what, address.userId === null ? 'channel' : 'person') };
    }
    return outcome;
  }

  private botId(): string {
    return this.options.botAppId === '' ? 'steward' : `28:${this.options.botAppId}`;
  }

  private async target(addressee: Addressee): Promise<Target> {
    switch (addressee.kind) {
      case 'person':
        return this.personal(addressee.personId, addressee.email);
      case 'team_channel':
        return this.bound({ kind: 'team', teamId: addressee.teamId }, `team ${addressee.team} has no Teams channel: type "@Steward here team ${addressee.team}" in it`);
      case 'security_channel':
        return this.bound({ kind: 'security' }, 'no Teams security channel: type "@Steward here security" in it');
      case 'webhook':
        // Routing never sends the webhook's messages to a chat platform; one that arrives here is a bug, refused.
        return { status: 'permanent_error', reason: 'refused', error: 'the decision webhook’s messages are not for Teams' };
    }
  }

  private async bound(target: { kind: 'team'; teamId: number } | { kind: 'security' }, missing: string): Promise<Target> {
    const address = parseAddress(await this.options.store.boundChannel(teamsPlatform, target));
    if (address?.conversationId == null) return { status: 'permanent_error', reason: 'no_destination', error: missing };
    return { address: { ...address, conversationId: address.conversationId } };
  }

  /** The person's 1:1 chat with Steward; created (and remembered) when Steward knows only their Teams user id. */
  private async personal(personId: number, email: string): Promise<Target> {
    const { store } = this.options;
    const person = await store.chatPerson(personId);
    const account = person === null ? null : accountOn(person, teamsPlatform);
    const address = parseAddress(account?.address ?? null);
    if (person === null || account === null || address === null || address.userId === null)
      return { status: 'permanent_error', reason: 'unreachable', error: `${email} has no Teams account Steward knows (they never wrote to Steward and are in no team it is installed in)` };
    if (address.conversationId !== null) return { address: { ...address, conversationId: address.conversationId } };
    const parameters = { isGroup: false, bot: { id: this.botId(), name: 'Steward' }, members: [{ id: address.userId, name: '' }], tenantId: address.tenantId, channelData: { tenant: { id: address.tenantId } } } as unknown as ConversationParameters;
    let conversationId: string | null = null;
    let failure: Exclude<ChatDelivery, { status: 'sent' }> | null = null;
    try {
      await this.options.adapter.createConversationAsync(this.options.botAppId, 'msteams', address.serviceUrl, this.options.audience, parameters, async (context) => {
        conversationId = context.activity.conversation?.id ?? null;
      });
    } catch (error) {
      failure = teamsFailure(error, 'create conversation', 'person');
    }
    if (failure !== null) return failure;
    if (conversationId === null) return { status: 'transient_error', error: 'Teams created a conversation without an id' };
    const opened = { ...address, conversationId: conversationId as string };
    await store.linkChatAccount(personId, { platform: teamsPlatform, accountId: account.accountId }, serializeAddress(opened));
    return { address: opened };
  }
}
