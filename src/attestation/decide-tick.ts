import {
  addresseeKey,
  credentialWarningMessages,
  escalationMessages,
  ownerLeftMessages,
  personAddressee,
  promptMessages,
  reminderMessages,
  securityAddressee,
  teamChannelAddressee,
  teamQueueMessages,
  unownedQueueMessages,
  type CredentialNotice,
  type EscalatedItem,
  type ItemRef,
  type QueuedItem,
} from '../messages/attestation-messages.js';
import type { Addressee, PlannedMessage } from '../messages/outgoing-message.js';
import type { Policy } from '../policy/policy.js';
import { cadenceDays, firstAttestationAt, isLongLived, riskOf } from './cadence.js';
import { addDays, earliest } from './days.js';
import { dueExpiryWarning, nextExpiryWarningAt } from './expiry-warnings.js';
import { firstActionAt, ladderStep } from './ladder.js';
import type { FlagCode, QueueReason, TickAttestation, TickDecision, TickItem, TickOwner, TickPerson, TickPlan, TickState, TickTeam } from './tick-state.js';

/** Collects per-addressee batches, so each person or channel gets one message per kind per tick. */
class Batches<T> {
  private readonly batches = new Map<string, { addressee: Addressee; items: T[] }>();

  add(addressee: Addressee, item: T): void {
    const key = addresseeKey(addressee);
    const batch = this.batches.get(key) ?? { addressee, items: [] };
    batch.items.push(item);
    this.batches.set(key, batch);
  }

  *[Symbol.iterator]() {
    yield* this.batches.values();
  }
}

const refOf = (item: Pick<TickItem, 'id' | 'kind' | 'ref' | 'name' | 'facts'>): ItemRef => ({ id: item.id, kind: item.kind, ref: item.ref, name: item.name, facts: item.facts });
const activeOrNull = (person: TickPerson | null): TickPerson | null => (person?.active ? person : null);

function isRetired(item: TickItem): boolean {
  return item.kind === 'api' ? item.lifecycle === 'decommissioned' : item.status === 'revoked' || item.status === 'decommissioned';
}

const queueWhy: Record<QueueReason, string> = {
  unowned: 'no owning team or accountable person',
  no_accountable_person: 'owned by a team, but nobody in it is named accountable',
  owner_left: 'its accountable person has left',
  disputed: 'its owner said it is not theirs',
  attestation_expired: 'nobody confirmed it is still needed',
};

/**
 * The tick: a pure decision over what is due at `now`. It never depends on having run before, so missed
 * ticks, restarts and time travel (`tick --at`) all work; applied once, a second run at the same time finds
 * nothing left to do. Messages are batched: one prompt per person per tick, one reminder, one escalation per
 * rung, one queue post per channel.
 */
export function decideTick(state: TickState, policy: Policy): TickPlan {
  const { now } = state;
  const decisions: TickDecision[] = [];
  let nextId = state.nextAttestationId;
  const securityChannel = policy.securityChannel;

  const prompts = new Batches<{ attestationId: number; item: ItemRef; reason: 'scheduled' | 'owner_left'; leaver?: string }>();
  const reminders = new Batches<{ attestationId: number; item: ItemRef; dueAt: string }>();
  const escalations = new Map<number, Batches<EscalatedItem>>();
  const warnings = new Batches<CredentialNotice>();
  const unowned: QueuedItem[] = [];
  const teamQueues = new Map<number, { team: TickTeam; items: QueuedItem[] }>();
  const leaverNotices = new Batches<{ leaver: TickPerson; item: ItemRef }>();
  const handledThisTick = new Set<number>();
  /** Items whose attestation expired in this tick, with when they are next asked. */
  const expiredNext = new Map<number, string>();

  const open = (item: Pick<TickItem, 'id' | 'kind' | 'ref' | 'name' | 'facts'>, person: TickPerson, reason: 'scheduled' | 'owner_left', leaver?: string) => {
    const id = nextId;
    nextId += 1;
    const dueAt = addDays(now, policy.attestation.responseWindowDays);
    decisions.push({ type: 'open_attestation', id, itemId: item.id, ref: item.ref, personId: person.id, person: person.email, reason, dueAt, nextActionAt: firstActionAt(now, policy), facts: item.facts });
    prompts.add(personAddressee(person), { attestationId: id, item: refOf(item), reason, ...(leaver === undefined ? {} : { leaver }) });
  };

  const enqueue = (item: Pick<TickItem, 'id' | 'kind' | 'ref' | 'name' | 'facts'>, owner: TickOwner, reason: QueueReason, detail: string | null = null) => {
    const queue = reason === 'no_accountable_person' && owner.team ? 'team' : 'security';
    decisions.push({ type: 'queue', itemId: item.id, ref: item.ref, queue, reason, detail });
    const why = detail === null ? queueWhy[reason] : `${queueWhy[reason]} (${detail})`;
    if (queue === 'team' && owner.team) {
      const entry = teamQueues.get(owner.team.id) ?? { team: owner.team, items: [] };
      entry.items.push({ item: refOf(item), why });
      teamQueues.set(owner.team.id, entry);
    } else unowned.push({ item: refOf(item), why });
  };

  // Leavers first: their items change hands before anything else is decided about them.
  for (const { person: leaver, items } of state.leavers) {
    for (const item of items) {
      handledThisTick.add(item.id);
      if (item.openAttestationId !== null)
        decisions.push({ type: 'supersede', attestationId: item.openAttestationId, itemId: item.id, ref: item.ref, why: `${leaver.email} has left` });
      const backup = activeOrNull(item.owner.backup);
      if (backup && backup.id !== leaver.id) {
        decisions.push({ type: 'reassign', itemId: item.id, ref: item.ref, from: leaver.email, toPersonId: backup.id, to: backup.email });
        open(item, backup, 'owner_left', leaver.email);
      } else {
        enqueue(item, item.owner, 'owner_left', leaver.email);
        const lead = activeOrNull(item.owner.team?.lead ?? null);
        leaverNotices.add(lead && lead.id !== leaver.id ? personAddressee(lead) : securityAddressee(securityChannel), { leaver, item: refOf(item) });
      }
    }
    decisions.push({ type: 'leaver_handled', personId: leaver.id, person: leaver.email, items: items.length });
  }

  for (const attestation of state.attestations) {
    if (handledThisTick.has(attestation.item.id)) continue;
    decideLadder(attestation);
  }

  function escalationTarget(attestation: TickAttestation, level: number): Addressee {
    const { owner } = attestation.item;
    // A rung whose target does not exist (no backup, no lead, no channel) hands over to the next one up.
    for (const step of policy.attestation.escalation.slice(level - 1)) {
      if (step.to === 'owner' && activeOrNull(attestation.person)) return personAddressee(attestation.person as TickPerson);
      if (step.to === 'backup' && activeOrNull(owner.backup)) return personAddressee(owner.backup as TickPerson);
      if (step.to === 'team_lead' && activeOrNull(owner.team?.lead ?? null)) return personAddressee(owner.team?.lead as TickPerson);
      if (step.to === 'team_channel' && owner.team?.channel) return teamChannelAddressee(owner.team);
      if (step.to === 'security_channel') break;
    }
    return securityAddressee(securityChannel);
  }

  function decideLadder(attestation: TickAttestation): void {
    const step = ladderStep(attestation, now, policy);
    const { item } = attestation;
    switch (step.type) {
      case 'remind':
        decisions.push({ type: 'remind', attestationId: attestation.id, ref: item.ref, person: attestation.person?.email ?? null, remindersSent: step.remindersSent, nextActionAt: step.nextActionAt });
        if (activeOrNull(attestation.person)) reminders.add(personAddressee(attestation.person as TickPerson), { attestationId: attestation.id, item: refOf(item), dueAt: attestation.dueAt });
        return;
      case 'escalate': {
        const target = escalationTarget(attestation, step.level);
        decisions.push({ type: 'escalate', attestationId: attestation.id, ref: item.ref, level: step.level, target: addresseeKey(target), nextActionAt: step.nextActionAt });
        const rung = escalations.get(step.level) ?? new Batches<EscalatedItem>();
        rung.add(target, { attestationId: attestation.id, item: refOf(item), owner: item.owner, asked: attestation.person, openedAt: attestation.openedAt });
        escalations.set(step.level, rung);
        return;
      }
      case 'expire': {
        // Asked again on the normal cadence; the queue entry keeps it in front of security meanwhile.
        const nextAttestationAt = addDays(now, cadenceDays(riskOf(item), policy));
        expiredNext.set(item.id, nextAttestationAt);
        decisions.push({ type: 'expire', attestationId: attestation.id, itemId: item.id, ref: item.ref, person: attestation.person?.email ?? null, nextAttestationAt });
        enqueue(item, item.owner, 'attestation_expired');
        return;
      }
      case 'none':
        decisions.push({ type: 'reschedule_attestation', attestationId: attestation.id, ref: item.ref, nextActionAt: step.nextActionAt });
        return;
    }
  }

  for (const item of state.items) {
    if (handledThisTick.has(item.id)) {
      // Decided above with the leaver's view of the owner; look again next tick with the new one.
      decisions.push({ type: 'schedule', itemId: item.id, ref: item.ref, nextCheckAt: now });
      continue;
    }
    decideItem(item);
  }

  function decideItem(item: TickItem): void {
    if (item.vanished || isRetired(item)) {
      const why = item.vanished ? 'it vanished from its source' : 'it was retired';
      if (item.openAttestationId !== null) decisions.push({ type: 'supersede', attestationId: item.openAttestationId, itemId: item.id, ref: item.ref, why });
      if (item.openQueue) decisions.push({ type: 'dequeue', itemId: item.id, ref: item.ref, why });
      decisions.push({ type: 'schedule', itemId: item.id, ref: item.ref, nextAttestationAt: null, nextCheckAt: null });
      return;
    }
    const { owner } = item;
    const accountable = owner.accountable;
    const owned = owner.team !== null && accountable !== null && accountable.active;
    let nextAttestationAt = expiredNext.get(item.id) ?? item.nextAttestationAt;
    let openedNow = false;
    let stillOpen = item.openAttestationId !== null && !expiredNext.has(item.id);

    if (!owned) {
      const reason: QueueReason = accountable && !accountable.active ? 'owner_left' : owner.team && !accountable ? 'no_accountable_person' : 'unowned';
      if (item.openAttestationId !== null) decisions.push({ type: 'supersede', attestationId: item.openAttestationId, itemId: item.id, ref: item.ref, why: queueWhy[reason] });
      const queue = reason === 'no_accountable_person' ? 'team' : 'security';
      if (item.openQueue === null || item.openQueue.queue !== queue) enqueue(item, owner, reason);
    } else {
      if (item.openQueue && item.openQueue.reason !== 'disputed' && item.openQueue.reason !== 'attestation_expired')
        decisions.push({ type: 'dequeue', itemId: item.id, ref: item.ref, why: `${accountable.email} is accountable now` });
      // An attestation still open with someone who no longer answers for the item gives way to the new owner.
      let openId = stillOpen ? item.openAttestationId : null;
      if (openId !== null && item.openAttestationPersonId !== accountable.id && item.openAttestationPersonId !== owner.backup?.id) {
        decisions.push({ type: 'supersede', attestationId: openId, itemId: item.id, ref: item.ref, why: `${accountable.email} is accountable now` });
        openId = null;
        stillOpen = false;
        nextAttestationAt = now;
      }
      // A disputed item waits in the queue for its real owner; asking the disputer again would be noise.
      if (openId === null && item.openQueue?.reason !== 'disputed') {
        const due = nextAttestationAt ?? firstAttestationAt(item.id, item.firstSeenAt, policy);
        if (due <= now) {
          open(item, accountable, 'scheduled');
          openedNow = true;
          nextAttestationAt = null;
        } else nextAttestationAt = due;
      }
    }

    const notices = credentialNotices(item);
    if (notices.length > 0) {
      const to = owned ? personAddressee(accountable) : owner.team?.channel ? teamChannelAddressee(owner.team) : securityAddressee(securityChannel);
      for (const what of notices) warnings.add(to, { item: refOf(item), what });
    }

    const nextCheckAt = earliest(
      owned && !openedNow && !stillOpen ? nextAttestationAt : null,
      item.kind === 'identity' && item.expiresAt && item.status === 'active' ? nextExpiryWarningAt(item.expiresAt, now, policy) : null,
      ...flagTimes(item),
    );
    decisions.push({ type: 'schedule', itemId: item.id, ref: item.ref, nextAttestationAt, nextCheckAt });
  }

  /** When the lifetime and staleness flags of an identity will next need a look. */
  function flagTimes(item: TickItem): Array<string | null> {
    if (item.kind !== 'identity' || item.identityKind === null) return [];
    const lifetime = item.createdAt ? addDays(item.createdAt, policy.credentials.maxLifetimeDays[item.identityKind]) : null;
    const lastSign = item.lastUsedAt ?? item.createdAt;
    const stale = lastSign ? addDays(lastSign, policy.credentials.staleAfterDaysUnused) : null;
    return [lifetime && lifetime > now ? lifetime : null, stale && stale > now ? stale : null];
  }

  function credentialNotices(item: TickItem): string[] {
    if (item.kind !== 'identity' || item.identityKind === null || item.status !== 'active') return [];
    const notices: string[] = [];
    if (item.expiresAt) {
      const offset = dueExpiryWarning(item.expiresAt, now, item.warnedOffsets, policy);
      if (offset !== null) {
        decisions.push({ type: 'warn_expiry', itemId: item.id, ref: item.ref, expiresAt: item.expiresAt, offsetDays: offset, person: item.owner.accountable?.email ?? null });
        notices.push(item.expiresAt <= now ? `expired on ${item.expiresAt.slice(0, 10)}` : `expires on ${item.expiresAt.slice(0, 10)} (${offset} day${offset === 1 ? '' : 's'} or less)`);
      }
    }
    const maxLifetime = policy.credentials.maxLifetimeDays[item.identityKind];
    const flags: Array<[FlagCode, boolean, string]> = [
      [
        'past_lifetime',
        isLongLived({ kind: 'identity', identityKind: item.identityKind, scopes: item.scopes, createdAt: item.createdAt, expiresAt: item.expiresAt }, policy) ||
          (item.createdAt !== null && addDays(item.createdAt, maxLifetime) <= now),
        `lives longer than the ${maxLifetime} days the policy allows for a ${item.identityKind.replace('_', ' ')} (OWASP NHI7)`,
      ],
      [
        'stale',
        (() => {
          const lastSign = item.lastUsedAt ?? item.createdAt;
          return lastSign !== null && addDays(lastSign, policy.credentials.staleAfterDaysUnused) <= now;
        })(),
        item.lastUsedAt ? `unused since ${item.lastUsedAt.slice(0, 10)} (over ${policy.credentials.staleAfterDaysUnused} days)` : `never used in over ${policy.credentials.staleAfterDaysUnused} days`,
      ],
    ];
    for (const [code, applies, detail] of flags) {
      const flagged = item.flags.includes(code);
      if (applies && !flagged) {
        decisions.push({ type: 'flag', itemId: item.id, ref: item.ref, code, detail });
        notices.push(detail);
      } else if (!applies && flagged) decisions.push({ type: 'unflag', itemId: item.id, ref: item.ref, code });
    }
    return notices;
  }

  const messages: PlannedMessage[] = [];
  for (const { addressee, items } of prompts) if (addressee.kind === 'person') messages.push(...promptMessages(personOf(addressee), items));
  for (const { addressee, items } of reminders) if (addressee.kind === 'person') messages.push(...reminderMessages(personOf(addressee), items));
  for (const [level, rung] of escalations) for (const { addressee, items } of rung) messages.push(...escalationMessages(addressee, level, items));
  for (const { addressee, items } of warnings) messages.push(...credentialWarningMessages(addressee, now, items));
  if (unowned.length > 0) messages.push(...unownedQueueMessages(securityChannel, now, unowned));
  for (const { team, items } of teamQueues.values()) messages.push(...teamQueueMessages(team, now, items));
  for (const { addressee, items } of leaverNotices) {
    const byLeaver = new Map<number, { leaver: TickPerson; items: ItemRef[] }>();
    for (const { leaver, item } of items) byLeaver.set(leaver.id, { leaver, items: [...(byLeaver.get(leaver.id)?.items ?? []), item] });
    for (const { leaver, items: theirs } of byLeaver.values()) messages.push(...ownerLeftMessages(addressee, leaver, theirs));
  }
  return { decisions, messages };
}

function personOf(addressee: Extract<Addressee, { kind: 'person' }>): TickPerson {
  return { id: addressee.personId, email: addressee.email, displayName: addressee.displayName, active: true };
}
