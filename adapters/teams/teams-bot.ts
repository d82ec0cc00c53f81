import { TeamsActivityHandler, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type InvokeResponse } from 'botbuilder';
import { decideApproval, requestApproval } from '../../src/approvals/approval-commands.js';
import { isDecisionActionId, readDecisionForm, type DecisionActionId } from '../../src/approvals/decision-input.js';
import { answerAttestations } from '../../src/attestation/answer-attestations.js';
import { isAnswerActionId } from '../../src/attestation/answer-forms.js';
import { claimItem } from '../../src/attestation/claim-item.js';
import { readAnswerForm } from '../../src/attestation/read-answer-form.js';
import { bindChannel } from '../../src/channels/bind-channel.js';
import type { BindTarget } from '../../src/channels/decide-binding.js';
import { attestationIdsOf } from '../../src/messages/attestation-ids-of.js';
import { readRotationValue } from '../../src/messages/attestation-messages.js';
import type { Policy } from '../../src/policy/policy.js';
import type { ActorKey } from '../../src/ports/attestation-store.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { textPart } from '../chat/chat-reply.js';
import type { ChatCommandRunner } from '../chat/run-chat-command.js';
import type { Logger } from '../logging/logger.js';
import { readCardAction, type CardActionFields } from './card-action.js';
import type { AdaptiveCard } from './cards/adaptive-card.js';
import { noticeCard } from './cards/notice-card.js';
import { renderReplyText } from './cards/render-reply-text.js';
import { isRevealedForm } from './cards/input-ids.js';
import { CardsOnScreen, type ClickOrigin } from './cards-on-screen.js';
import { commandText, hereCommand } from './command-text.js';
import { teamsPlatform } from './teams-account.js';
import { channelAddress, serializeAddress } from './teams-address.js';
import { teamsGuestAnswer, type TeamsPeople } from './teams-people.js';

export interface TeamsBotDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly logger: Logger;
  readonly people: TeamsPeople;
  readonly runChat: ChatCommandRunner;
  /** Called after each change: the dispatcher delivers the updates it caused (cards rewritten) now. */
  readonly changed: () => void;
}

/** Added to the help in Teams. */
const hereHelp = 'In a channel: `@Steward here team <team>` (the team\'s lead, or an admin) or `@Steward here security` (an admin) makes it where Steward posts that team\'s, or the security, messages.';

/** How often a team's members are read again for owners Steward can write to. */
const rosterRefreshMs = 60 * 60_000;

/** Teams could not say who this is and the store does not know them: not answered, to be safe. */
const uncheckedAnswer = 'Steward could not check your Teams account just now; try again in a minute.';

/** A button whose value is not one Steward wrote (a forged or damaged invoke). */
const unknownButton = 'That button does not say which request or item it is about, so nothing was done.';

const cardResponse = (card: AdaptiveCard): AdaptiveCardInvokeResponse => ({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card as unknown as Record<string, unknown> });

/**
 * Steward in Teams: the chat grammar as a message in a personal chat or an @mention in a channel, `here team …` /
 * `here security` to bind a channel, the cards' Action.Execute clicks (answers, claims, approvals' decisions and
 * Request rotation; each answered with the card as it now stands, so a resolved item loses its buttons), and installs, which remember how to reach the installer and link the owners
 * among a team's members. Who someone is comes from their Entra object id or Teams' email for them; a guest is
 * told so and shown nothing.
 */
export class TeamsBot extends TeamsActivityHandler {
  private readonly cards: CardsOnScreen;
  private readonly rosterReadAtMs = new Map<string, number>();

  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.cards = new CardsOnScreen(deps.store, deps.policy);
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.installed(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const me = context.activity.recipient.id;
      if ((context.activity.membersAdded ?? []).some((member) => member.id === me)) await this.installed(context);
      await next();
    });
  }

  private async installed(context: TurnContext): Promise<void> {
    const conversationType = context.activity.conversation.conversationType;
    if (conversationType === 'personal') {
      // Remembers the installer's 1:1 chat, so their prompts reach them.
      await this.deps.people.speaker(context);
      return;
    }
    try {
      const linked = await this.deps.people.linkRoster(context);
      this.deps.logger.info({ linked, conversation: conversationType }, `Teams: installed in a ${conversationType ?? 'conversation'}; ${linked} of its members are owners Steward can now write to`);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'Teams: installed, but its members could not be read; owners there are found when they write to Steward');
    }
  }

  private async message(context: TurnContext): Promise<void> {
    const text = commandText(context.activity, (activity) => TurnContext.removeRecipientMention(activity));
    if (text === null) return;
    const speaker = await this.deps.people.speaker(context);
    if (speaker.member === 'guest') return void (await context.sendActivity(teamsGuestAnswer));
    if (speaker.member === 'unknown') return void (await context.sendActivity(uncheckedAnswer));
    const here = hereCommand(text);
    // A malformed `here` is answered with its usage; a well-formed one binds the channel.
    if (typeof here === 'string') return void (await context.sendActivity(here));
    if (here !== null) return void (await context.sendActivity(await this.bind(context, speaker.actor, here)));
    this.refreshRoster(context);
    const reply = await this.deps.runChat({ platform: teamsPlatform, speaker: speaker.actor, text, invocation: '@Steward' });
    // `attest` and `claim` queue updates: the dispatcher delivers them now rather than at its next round.
    this.deps.changed();
    // `here` is Teams' own (a channel is bound where it is typed): the shared grammar's help cannot list it.
    const help = text.split(' ')[0]?.toLowerCase() === 'help' ? `\n\n${hereHelp}` : '';
    await context.sendActivity({ type: 'message', text: `${renderReplyText(reply)}${help}`, textFormat: 'markdown' });
  }

  /**
   * A team Steward was installed in before it ran (or whose members changed) has its owners linked again, at most
   * hourly per team, after the answer: an install event is not the only time a roster is worth reading.
   */
  private refreshRoster(context: TurnContext): void {
    const teamId = (context.activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
    if (typeof teamId !== 'string') return;
    const nowMs = this.deps.clock.now().getTime();
    const last = this.rosterReadAtMs.get(teamId);
    if (last !== undefined && nowMs - last < rosterRefreshMs) return;
    this.rosterReadAtMs.set(teamId, nowMs);
    void this.deps.people.linkRoster(context).catch((error: unknown) => this.deps.logger.warn({ err: error, teamId }, 'Teams: the team\'s members could not be read; owners there are found when they write to Steward'));
  }

  private async bind(context: TurnContext, actor: ActorKey, target: BindTarget): Promise<string> {
    const address = channelAddress(context.activity);
    if (address === null) return 'Type this in the channel you want to bind, mentioning Steward: `@Steward here team <team>` or `@Steward here security`.';
    const result = await bindChannel(this.deps.store, this.deps.clock, this.deps.policy, { actor, platform: teamsPlatform, target, address: serializeAddress(address) });
    if (result.ok) this.deps.changed();
    // The core's words quote the slug as it was typed: made safe as every other answer, or Markdown in it would show.
    return renderReplyText({ error: !result.ok, parts: [textPart(result.text)] });
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const read = readCardAction(invokeValue.action);
    if (!read.ok) return cardResponse(noticeCard(read.text, 'refusal'));
    const speaker = await this.deps.people.speaker(context);
    if (speaker.member === 'guest') return cardResponse(noticeCard(teamsGuestAnswer, 'refusal'));
    if (speaker.member === 'unknown') return cardResponse(noticeCard(uncheckedAnswer, 'refusal'));
    const on = { deliveryOf: invokeValue.action.data, conversation: context.activity.conversation.id, clicked: read.value };
    if (read.actionId === 'queue.claim' || read.actionId === 'queue.take') {
      const result = await claimItem(this.deps.store, this.deps.clock, { actor: speaker.actor, itemId: Number(read.value), team: null });
      if (result.ok) this.deps.changed();
      const text = result.ok ? result.text : result.code === 'needs_team' && result.teams.length > 0 ? `${result.text}\nType \`@Steward claim ${result.ref} --team <team>\` to claim it for one of them.` : result.text;
      return cardResponse(await this.cards.current(on, { notice: text, refused: !result.ok }));
    }
    if (read.actionId === 'request.rotation') return cardResponse(await this.requestRotation(speaker.actor, read.value, on));
    if (isDecisionActionId(read.actionId)) return cardResponse(await this.decide(speaker.actor, read.actionId, read.value, read.fields, on));
    if (!isAnswerActionId(read.actionId)) return cardResponse(noticeCard(unknownButton, 'refusal'));
    const form = readAnswerForm(read.actionId, read.fields, { snoozeMaxDays: this.deps.policy.attestation.snoozeMaxDays });
    if (!form.ok) {
      const open = isRevealedForm(read.actionId) ? { actionId: read.actionId, value: read.value, typed: read.fields, errors: form.errors } : undefined;
      return cardResponse(await this.cards.current(on, { notice: form.errors.map((e) => e.message).join('\n'), refused: true, ...(open === undefined ? {} : { open }) }));
    }
    const plan = await answerAttestations(this.deps.store, this.deps.clock, this.deps.policy, { actor: speaker.actor, attestationIds: attestationIdsOf(read.value), action: form.action, note: form.note });
    if (plan.decisions.length > 0) this.deps.changed();
    const text = plan.results.map((r) => r.text).join('\n') || 'Nothing to answer: that button carries no attestation.';
    return cardResponse(await this.cards.current(on, { notice: text, refused: plan.results.some((r) => !r.ok) }));
  }

  /**
   * Approve, Reject, Accept or Decline, with what was typed in its form: the core decides who may and applies it
   * once. A refused form comes back open with the core's words on its fields; anyone else's press, a second press
   * or a decided request is answered, to the one who pressed, with the card as it stands and why nothing changed.
   */
  private async decide(actor: ActorKey, actionId: DecisionActionId, value: string, fields: CardActionFields, on: ClickOrigin): Promise<AdaptiveCard> {
    if (!/^\d{1,15}$/.test(value)) return noticeCard(unknownButton, 'refusal');
    const plan = await decideApproval(this.deps.store, this.deps.clock, this.deps.policy, { actor, requestId: Number(value), decision: readDecisionForm(actionId, fields) });
    const { result } = plan;
    if (result.ok) {
      this.deps.changed();
      return this.cards.current(on, { notice: result.text, refused: false });
    }
    const errors = result.errors ?? [];
    const open = errors.length > 0 && isRevealedForm(actionId) ? { actionId, value, typed: fields, errors } : undefined;
    return this.cards.current(on, { notice: result.text, refused: true, ...(open === undefined ? {} : { open }) });
  }

  /** Request rotation on a credential warning: one click raises the request; its card then goes to the approvers. */
  private async requestRotation(actor: ActorKey, value: string, on: ClickOrigin): Promise<AdaptiveCard> {
    const asked = readRotationValue(value);
    if (asked === null) return noticeCard(unknownButton, 'refusal');
    const plan = await requestApproval(this.deps.store, this.deps.clock, this.deps.policy, { actor, itemId: asked.itemId, request: { kind: 'rotation', trigger: asked.trigger, justification: null } });
    if (plan.result.ok) this.deps.changed();
    return this.cards.current(on, { notice: plan.result.text, refused: !plan.result.ok });
  }

  /** Any other invoke (a task module, a message extension Steward does not have): answered, with nothing done. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') return super.onInvokeActivity(context);
    return { status: 200 };
  }
}
