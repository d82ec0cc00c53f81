import { textError } from '../attestation/answer-field-errors.js';
import type { FieldError } from '../attestation/answer-fields.js';
import { addDays } from '../attestation/days.js';
import type { TickPerson } from '../attestation/tick-state.js';
import { personAddressee } from '../messages/attestation-messages.js';
import type { PlannedMessage } from '../messages/outgoing-message.js';
import type { Policy } from '../policy/policy.js';
import { requestedUntil, untilError } from './request-input.js';

/** The longest one delegation lasts: out of office, not a permanent hand-over (that is a transfer). */
export const maxDelegationDays = 90;

/** `delegate --to EMAIL --until DATE [--reason …]`, or `delegate --end`. */
export type DelegationInput = { readonly action: 'start'; readonly until: string; readonly reason: string | null } | { readonly action: 'end' };

export interface StoredDelegation {
  readonly id: number;
  readonly person: TickPerson;
  readonly delegate: TickPerson;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly reason: string | null;
}

export interface DelegationState {
  readonly now: string;
  readonly actor: TickPerson | null;
  /** Whose work is delegated (the actor's own unless an admin named someone); null when Steward does not know them. */
  readonly person: TickPerson | null;
  /** The delegate; null when not named or not known. */
  readonly delegate: TickPerson | null;
  /** The person's delegations in force now or later. */
  readonly current: readonly StoredDelegation[];
  /** The delegate's own delegations in force now or later: one covering part of this period makes a chain, refused. */
  readonly delegateAway: ReadonlyArray<{ readonly startsAt: string; readonly endsAt: string }>;
  /** The delegations in force now or later in which the person stands in for someone: delegating then makes a chain, refused. */
  readonly personStandsIn: ReadonlyArray<{ readonly startsAt: string; readonly endsAt: string; readonly for: string }>;
}

export type DelegationResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly text: string; readonly errors?: readonly FieldError[] };

export interface DelegationPlan {
  readonly result: DelegationResult;
  readonly create: { readonly personId: number; readonly delegateId: number; readonly startsAt: string; readonly endsAt: string; readonly reason: string | null } | null;
  /** Delegations ended now (replaced, or `--end`). */
  readonly end: readonly number[];
  readonly messages: readonly PlannedMessage[];
}

const refuse = (text: string, errors?: readonly FieldError[]): DelegationPlan => ({ result: { ok: false, text, ...(errors ? { errors } : {}) }, create: null, end: [], messages: [] });
const day = (iso: string) => iso.slice(0, 10);

/**
 * Out of office: from now until the date given, a person's prompts, reminders and approvals go to the delegate,
 * who answers and decides as them (the audit trail names both). Resolved when each message is sent and each
 * answer or decision is made, so a delegation ends by itself at its date. A person delegates their own work (an
 * admin may set it for someone who is away); one delegation at a time (a new one replaces it); a delegate who is
 * away themselves is refused (no chains); the delegate never approves what they asked for (`decideDecision`).
 */
export function decideDelegation(state: DelegationState, input: DelegationInput, policy: Policy, named: { readonly forEmail: string | null; readonly toEmail: string | null }): DelegationPlan {
  const { actor, person, now } = state;
  if (actor === null || !actor.active) return refuse(actor === null ? 'Steward does not know you: ask your security team to add you to the inventory.' : 'Your account is marked as having left.');
  if (named.forEmail !== null && person?.id !== actor.id && !policy.admins.includes(actor.email)) return refuse('Only Steward’s admins can set a delegation for someone else.');
  if (person === null) return refuse(`Steward does not know ${named.forEmail ?? 'that person'}.`);
  if (input.action === 'end') {
    if (state.current.length === 0) return refuse(`${person.email} has no delegation in force; nothing changed.`);
    return { result: { ok: true, text: `Delegation ended: ${person.email}'s prompts and approvals come to them again.` }, create: null, end: state.current.map((d) => d.id), messages: [] };
  }
  const errors: FieldError[] = [];
  const untilProblem = untilError(input.until, now);
  if (untilProblem !== null) errors.push(untilProblem);
  if (input.reason !== null && input.reason.trim() !== '') {
    const reasonProblem = textError('reason', input.reason);
    if (reasonProblem !== null) errors.push(reasonProblem);
  }
  const until = untilProblem === null ? requestedUntil(input.until, now) : null;
  if (until !== null && until <= now) errors.push({ field: 'until', code: 'out_of_range', message: 'A delegation ends in the future: give a later date.' });
  else if (until !== null && until > addDays(now, maxDelegationDays))
    errors.push({ field: 'until', code: 'out_of_range', message: `A delegation lasts at most ${maxDelegationDays} days; for longer, transfer the items.` });
  const [first] = errors;
  if (first !== undefined) return refuse(first.message, errors);
  const { delegate } = state;
  if (delegate === null) return refuse(`Steward does not know ${named.toEmail ?? 'the delegate'}: they must be in the inventory.`);
  if (!delegate.active) return refuse(`${delegate.email} has left; choose someone else.`);
  if (delegate.id === person.id) return refuse('Delegate to someone else.');
  if (named.forEmail !== null && person.id !== actor.id && delegate.id === actor.id)
    return refuse('An admin sets a delegation for someone who is away to someone else, never to themselves: their approvals would be the admin’s own.');
  const covering = state.personStandsIn.find((d) => d.startsAt < (until as string) && d.endsAt > now);
  if (covering !== undefined)
    return refuse(`${person.email} stands in for ${covering.for} until ${day(covering.endsAt)}; end that first (or have ${covering.for} choose someone else), so nobody's work is passed on twice.`);
  if (state.delegateAway.some((d) => d.startsAt < (until as string) && d.endsAt > now)) return refuse(`${delegate.email} has delegated their own work for part of that time; choose someone who is around.`);
  const endsAt = until as string;
  const reason = input.reason?.trim() || null;
  const replaced = state.current.map((d) => d.id);
  const message: PlannedMessage = {
    dedupeKey: `delegation:${person.id}:${delegate.id}:${now}`,
    addressee: personAddressee(delegate),
    subjects: [],
    message: {
      kind: 'approval_notice',
      title: `You stand in for ${person.email} until ${day(endsAt)}`,
      text: `${person.email}'s attestation prompts, reminders and approvals come to you until ${day(endsAt)}${reason ? ` (${reason})` : ''}. You answer and decide as them; the audit trail names you both. You never decide a request you made.`,
      sections: [],
      actions: [],
    },
  };
  // Set by an admin for someone who is away: they are told too, so nobody's work moves without them knowing.
  const told: PlannedMessage[] =
    person.id === actor.id
      ? []
      : [
          {
            dedupeKey: `delegation:${person.id}:${delegate.id}:${now}:principal`,
            addressee: personAddressee(person),
            subjects: [],
            message: {
              kind: 'approval_notice',
              title: `${delegate.email} stands in for you until ${day(endsAt)}`,
              text: `${actor.email} (an admin) set it${reason ? ` (${reason})` : ''}: your prompts, reminders and approvals go to ${delegate.email} until ${day(endsAt)}. Type \`delegate --end\` to take them back.`,
              sections: [],
              actions: [],
            },
          },
        ];
  return {
    result: { ok: true, text: `Until ${day(endsAt)}, ${person.email}'s prompts, reminders and approvals go to ${delegate.email}${replaced.length > 0 ? ' (replacing the delegation in force)' : ''}. It ends by itself.` },
    create: { personId: person.id, delegateId: delegate.id, startsAt: now, endsAt, reason },
    end: replaced,
    messages: [message, ...told],
  };
}
