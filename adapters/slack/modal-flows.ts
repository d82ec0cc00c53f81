import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { decideAnswer } from '../../src/attestation/decide-answer.js';
import type { AttestedFacts } from '../../src/attestation/tick-state.js';
import { attestationIdsOf } from '../../src/messages/attestation-ids-of.js';
import { disputeModal, readSubmission, snoozeModal, updateModal, type MessageSource, type ParsedSubmission } from './blocks/modals.js';
import { answerAsSlackUser } from './answer-as-slack-user.js';
import { clickTarget, reply } from './reply.js';
import type { AnswerModalId } from './slack-registry.js';
import type { ButtonHandler, SlackDeps } from './slack-deps.js';
import { guestAnswer } from './slack-people.js';

type Answerable = { readonly ok: true; readonly ref: string; readonly facts: AttestedFacts } | { readonly ok: false; readonly text: string };

/**
 * Whether the person may answer this attestation now, with the item's ref and the facts it asked about: the
 * core's own decision, run in the store's transaction with nothing applied. A refusal is the core's words
 * (already answered, not yours, unknown person) and goes on the item's trail like any refused answer.
 */
async function answerable(deps: SlackDeps, slackUserId: string, attestationId: number): Promise<Answerable> {
  const actor = await deps.people.actor(slackUserId);
  if (actor === null) return { ok: false, text: guestAnswer };
  // Set inside the store's transaction, by the decide function.
  const found: { value: Answerable } = { value: { ok: false, text: `There is no attestation ${attestationId}.` } };
  await deps.store.answerAttestations({
    now: deps.clock.now().toISOString(),
    actor,
    attestationIds: [attestationId],
    decide: (state) => {
      const plan = decideAnswer(state, { type: 'confirm' }, null, deps.policy);
      const result = plan.results[0];
      const attestation = state.attestations.find((a) => a.id === attestationId);
      found.value = result?.ok && attestation ? { ok: true, ref: attestation.item.ref, facts: attestation.facts } : { ok: false, text: result?.text ?? `There is no attestation ${attestationId}.` };
      // Opening a modal decides nothing: only a refusal is kept, for the audit trail.
      return { results: plan.results.filter((r) => !r.ok), decisions: [], messages: [] };
    },
  });
  return found.value;
}

type ModalKind = AnswerModalId;

/** Update…, Not mine and Snooze… open their modal (views.open with the click's trigger id, within its 3 seconds). */
export function openModalButton(deps: SlackDeps, kind: ModalKind): ButtonHandler {
  return async (args) => {
    await args.ack();
    const { body, client } = args;
    const [attestationId] = attestationIdsOf(args.action.value);
    const target = clickTarget(args);
    const check = attestationId === undefined ? ({ ok: false, text: 'That button carries no attestation.' } as const) : await answerable(deps, body.user.id, attestationId);
    if (!check.ok || attestationId === undefined) {
      await reply(target, check.ok ? 'That button carries no attestation.' : check.text);
      return;
    }
    const container = body.container as { type?: string; channel_id?: string; message_ts?: string } | undefined;
    const source: MessageSource | null =
      container?.type === 'message' && container.channel_id && container.message_ts ? { channel: container.channel_id, ts: container.message_ts } : null;
    const subject = { attestationId, ref: check.ref, source };
    const view: ModalView =
      kind === 'attest.update' ? updateModal({ ...subject, facts: check.facts }) : kind === 'attest.dispute' ? disputeModal(subject) : snoozeModal(subject, deps.policy.attestation.snoozeMaxDays);
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
}

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * A modal submitted: the core's answer rules read what was typed. A mistake is shown on its field and the modal
 * stays open; otherwise the modal closes at once and the answer is recorded like a button's, the outcome shown
 * under the prompt the modal was opened from (or in the DM, when it came from Home).
 */
export function modalSubmission(deps: SlackDeps, kind: ModalKind) {
  return async ({ ack, view, body, client }: ViewArgs): Promise<void> => {
    let parsed: ParsedSubmission;
    try {
      parsed = readSubmission(kind, view, { snoozeMaxDays: deps.policy.attestation.snoozeMaxDays });
    } catch (error) {
      await ack();
      throw error;
    }
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: { ...parsed.errors } });
      return;
    }
    await ack();
    const { source } = parsed;
    const slackUserId = body.user.id;
    await answerAsSlackUser(
      deps,
      { client, slackUserId, ephemeral: source === null ? undefined : (text) => client.chat.postEphemeral({ channel: source.channel, user: slackUserId, text }) },
      [parsed.attestationId],
      parsed.action,
      parsed.note,
    );
  };
}
