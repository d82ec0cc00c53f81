import {
  addresseeKey,
  addresseeName,
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
  type PromptItem,
  type QueuedItem,
} from '../messages/attestation-messages.js';
import type { Addressee, PlannedMessage } from '../messages/outgoing-message.js';
import type { IdentityKind } from '../model/vocabulary.js';
import type { Policy } from '../policy/policy.js';
import { cadenceDays, firstAttestationAt, isLongLived, riskOf } from './cadence.js';
import { addDays, daysBetween, earliest } from './days.js';
import { dueExpiryWarning, nextExpiryWarningAt } from './expiry-warnings.js';
import { escalationRungs, firstActionAt, ladderStep, nextActionAt, type EscalationRung } from './ladder.js';
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

type ItemBasics = Pick<TickItem, 'id' | 'kind' | 'ref' | 'name' | 'facts'>;

const refOf = (item: ItemBasics): ItemRef => ({ id: item.id, kind: item.kind, ref: item.ref, name: item.name, facts: item.facts });
const activeOrNull = (person: TickPerson | null): TickPerson | null => (person?.active ? person : null);

function isRetired(item: Pick<TickItem, 'kind' | 'lifecycle' | 'status'>): boolean {
  return item.kind === 'api' ? item.lifecycle === 'decommissioned' : item.status === 'revoked' || item.status === 'decommissioned';
}

const queueWhy: Record<QueueReason, string> = {
  unowned: 'no owning team or accountable person',
  no_accountable_person: 'owned by a team, but nobody in it is named accountable',
  owner_left: 'its accountable person has left',
  disputed: 'its owner said it is not theirs',
  attestation_expired: 'nobody confirmed it is still needed',
};

/** Team-owned items with nobody named go to the team's channel; everything else, and a team without a channel, to security. */
function queueFor(reason: QueueReason, teamHasChannel: boolean): 'security' | 'team' {
  return reason === 'no_accountable_person' && teamHasChannel ? 'team' : 'security';
}

/** Why an item that is not owned is not: a leaver, a team with nobody named, or nobody at all. */
function unownedReason(owner: TickOwner): QueueReason {
  if (owner.accountable && !owner.accountable.active) return 'owner_left';
  return owner.team && !owner.accountable ? 'no_accountable_person' : 'unowned';
}

/** What a leaver's departure changed about an item in this tick: the rest of the tick decides from this. */
type HandOver = Partial<Pick<TickItem, 'owner' | 'ownedSince' | 'openAttestationId' | 'openAttestationPersonId' | 'openQueue'>>;

/**
 * The tick: a pure decision over what is due at `now`. It never depends on having run before, so missed
 * ticks, restarts and time travel (`tick --at`) all work; applied once, a second run at the same time finds
 * nothing left to do. Messages are batched: one prompt per person per tick, one reminder, one escalation per
 * rung, one queue post per channel.
 *
 * Order matters: leavers' items change hands first, then due items are decided (which may supersede an open
 * attestation), and only then do the still-open attestations climb their ladders, so nobody is reminded
 * about an attestation this same tick closes.
 */
export function decideTick(state: TickState, policy: Policy): TickPlan {
  const { now } = state;
  const decisions: TickDecision[] = [];
  let nextId = state.nextAttestationId;
  const securityChannel = policy.securityChannel;
  const rungs = escalationRungs(policy.attestation);
  const boundTeams = new Set(state.teamsWithBoundChannel);
  /** A team has a channel when its inventory entry names one, or when one was bound to it on some platform. */
  const hasChannel = (team: TickTeam | null): team is TickTeam => team !== null && (team.channel !== null || boundTeams.has(team.id));

  const prompts = new Batches<PromptItem>();
  const reminders = new Batches<{ attestationId: number; item: ItemRef; dueAt: string }>();
  const escalations = new Map<number, Batches<EscalatedItem>>();
  const warnings = new Batches<CredentialNotice>();
  const unowned: QueuedItem[] = [];
  const teamQueues = new Map<number, { team: TickTeam; items: QueuedItem[] }>();
  const leaverNotices = new Batches<{ leaver: TickPerson; item: ItemRef }>();
  /** Attestations this tick closes: their ladders stop here. */
  const closedNow = new Set<number>();
  const handedOver = new Map<number, HandOver>();

  const open = (item: ItemBasics, person: TickPerson, reason: 'scheduled' | 'owner_left', leaver?: string): number => {
    const id = nextId;
    nextId += 1;
    const dueAt = addDays(now, policy.attestation.responseWindowDays);
    decisions.push({ type: 'open_attestation', id, itemId: item.id, ref: item.ref, personId: person.id, person: person.email, reason, dueAt, nextActionAt: firstActionAt(now, policy.attestation), facts: item.facts });
    prompts.add(personAddressee(person), { attestationId: id, item: refOf(item), reason, ...(leaver === undefined ? {} : { leaver }) });
    return id;
  };

  const supersede = (attestationId: number, item: ItemBasics, why: string) => {
    decisions.push({ type: 'supersede', attestationId, itemId: item.id, ref: item.ref, why });
    closedNow.add(attestationId);
  };

  const enqueue = (item: ItemBasics, owner: TickOwner, reason: QueueReason, detail: string | null = null) => {
    const queue = queueFor(reason, hasChannel(owner.team));
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
      if (item.openAttestationId !== null) supersede(item.openAttestationId, item, `${leaver.email} has left`);
      const backup = activeOrNull(item.owner.backup);
      if (backup && backup.id !== leaver.id && item.owner.team) {
        decisions.push({ type: 'reassign', itemId: item.id, ref: item.ref, from: leaver.email, toPersonId: backup.id, to: backup.email });
        const id = open(item, backup, 'owner_left', leaver.email);
        handedOver.set(item.id, { owner: { ...item.owner, accountable: backup, backup: null }, ownedSince: now, openAttestationId: id, openAttestationPersonId: backup.id });
      } else {
        enqueue(item, item.owner, 'owner_left', leaver.email);
        handedOver.set(item.id, { openAttestationId: null, openAttestationPersonId: null, openQueue: { queue: 'security', reason: 'owner_left', queuedAt: now } });
        // The security channel sees the item in its queue post; a lead hears of it here.
        const lead = activeOrNull(item.owner.team?.lead ?? null);
        if (lead && lead.id !== leaver.id) leaverNotices.add(personAddressee(lead), { leaver, item: refOf(item) });
      }
    }
    decisions.push({ type: 'leaver_handled', personId: leaver.id, person: leaver.email, items: items.length });
  }

  for (const item of state.items) {
    const change = handedOver.get(item.id);
    decideItem(change ? { ...item, ...change } : item);
  }

  for (const attestation of state.attestations) if (!closedNow.has(attestation.id)) decideLadder(attestation);

  function decideItem(item: TickItem): void {
    if (item.vanished || isRetired(item)) {
      const why = item.vanished ? 'it vanished from its source' : 'it was retired';
      if (item.openAttestationId !== null) supersede(item.openAttestationId, item, why);
      if (item.openQueue) decisions.push({ type: 'dequeue', itemId: item.id, ref: item.ref, why });
      decisions.push({ type: 'schedule', itemId: item.id, ref: item.ref, nextAttestationAt: null, nextCheckAt: null });
      return;
    }
    const { owner } = item;
    const accountable = owner.team !== null ? activeOrNull(owner.accountable) : null;
    let nextAttestationAt = item.nextAttestationAt;
    let openId = item.openAttestationId;
    let waitsForOwner = false;

    if (accountable === null) {
      const reason = unownedReason(owner);
      if (openId !== null) supersede(openId, item, queueWhy[reason]);
      openId = null;
      if (item.openQueue?.queue !== queueFor(reason, hasChannel(owner.team))) enqueue(item, owner, reason);
    } else {
      const queued = item.openQueue;
      const ownerChangedSince = queued !== null && item.ownedSince !== null && item.ownedSince > queued.queuedAt;
      // A dispute or an unanswered attestation keeps the item queued until its owner changes (or confirms it);
      // an item queued for want of an owner leaves the queue as soon as it has one.
      const keepQueued = queued !== null && !ownerChangedSince && (queued.reason === 'disputed' || queued.reason === 'attestation_expired');
      if (queued && !keepQueued) decisions.push({ type: 'dequeue', itemId: item.id, ref: item.ref, why: `${accountable.email} is accountable now` });
      // Asking the person who said "not mine" again would be noise: the item waits for its real owner.
      waitsForOwner = keepQueued && queued.reason === 'disputed';
      // An attestation still open with someone who no longer answers for the item gives way to the new owner.
      if (openId !== null && item.openAttestationPersonId !== accountable.id && item.openAttestationPersonId !== owner.backup?.id) {
        supersede(openId, item, `${accountable.email} is accountable now`);
        openId = null;
        nextAttestationAt = now;
      }
      if (openId === null && !waitsForOwner) {
        const due = nextAttestationAt ?? firstAttestationAt(item.id, item.firstSeenAt, policy);
        if (due <= now) {
          openId = open(item, accountable, 'scheduled');
          nextAttestationAt = null;
        } else nextAttestationAt = due;
      }
    }

    const notices = credentialNotices(item);
    if (notices.length > 0) {
      const to = accountable ? personAddressee(accountable) : hasChannel(owner.team) ? teamChannelAddressee(owner.team) : securityAddressee(securityChannel);
      // One section per item, however many things are wrong with it; its owner can ask for a rotation in one click.
      const rotation = accountable === null ? null : notices.some((n) => n.includes('OWASP NHI7')) ? 'past_lifetime' : item.expiresAt !== null && notices.some((n) => n.startsWith('expire')) ? 'expiry_warning' : null;
      warnings.add(to, { item: refOf(item), what: notices.join('; '), ...(rotation === null ? {} : { rotation }) });
    }

    // While an attestation is open its ladder brings it back; the item itself only for its next attestation,
    // its next expiry warning and its flags.
    const nextCheckAt = earliest(
      accountable !== null && openId === null && !waitsForOwner ? nextAttestationAt : null,
      item.kind === 'identity' && item.expiresAt && item.status === 'active' ? nextExpiryWarningAt(item.expiresAt, now, policy) : null,
      ...flagTimes(item),
    );
    decisions.push({ type: 'schedule', itemId: item.id, ref: item.ref, nextAttestationAt, nextCheckAt });
  }

  /**
   * Who takes an escalation due at `level`: that rung's target, or, when it has none (no backup, no lead, no
   * channel, or only someone already asked), the next rung up that has one; the security channel at the top.
   * Returns the level actually reached, so a skipped rung is not taken again when its own time comes.
   */
  function escalationTarget(attestation: TickAttestation, level: number): { addressee: Addressee; level: number } {
    const { owner } = attestation.item;
    const told = new Set<number>(attestation.person ? [attestation.person.id] : []);
    const personOnRung = (rung: EscalationRung): TickPerson | null => {
      const person = rung.to === 'owner' ? attestation.person : rung.to === 'backup' ? owner.backup : rung.to === 'team_lead' ? (owner.team?.lead ?? null) : null;
      return activeOrNull(person);
    };
    // People on the rungs below were told already; telling them again is not escalating.
    for (const rung of rungs.slice(0, level - 1)) {
      const person = personOnRung(rung);
      if (person) told.add(person.id);
    }
    for (const [i, rung] of rungs.entries()) {
      if (i < level - 1) continue;
      if (rung.to === 'security_channel') return { addressee: securityAddressee(securityChannel), level: i + 1 };
      if (rung.to === 'team_channel') {
        if (hasChannel(owner.team)) return { addressee: teamChannelAddressee(owner.team), level: i + 1 };
        continue;
      }
      const person = personOnRung(rung);
      if (person && (rung.to === 'owner' || !told.has(person.id))) return { addressee: personAddressee(person), level: i + 1 };
    }
    return { addressee: securityAddressee(securityChannel), level: rungs.length };
  }

  function decideLadder(attestation: TickAttestation): void {
    const step = ladderStep(attestation, now, policy.attestation);
    const { item } = attestation;
    switch (step.type) {
      case 'remind':
        decisions.push({ type: 'remind', attestationId: attestation.id, itemId: item.id, ref: item.ref, person: attestation.person?.email ?? null, remindersSent: step.remindersSent, nextActionAt: step.nextActionAt });
        if (activeOrNull(attestation.person)) reminders.add(personAddressee(attestation.person as TickPerson), { attestationId: attestation.id, item: refOf(item), dueAt: attestation.dueAt });
        return;
      case 'escalate': {
        const target = escalationTarget(attestation, step.level);
        const next = nextActionAt({ ...attestation, escalationLevel: target.level }, now, policy.attestation);
        decisions.push({
          type: 'escalate',
          attestationId: attestation.id,
          itemId: item.id,
          ref: item.ref,
          level: target.level,
          target: addresseeKey(target.addressee),
          to: addresseeName(target.addressee),
          nextActionAt: next,
        });
        // Only the accountable person and the backup may answer; a lead or a channel is shown, not asked.
        const canAnswer = target.addressee.kind === 'person' && [item.owner.accountable?.id, item.owner.backup?.id].includes(target.addressee.personId);
        const rung = escalations.get(target.level) ?? new Batches<EscalatedItem>();
        rung.add(target.addressee, { attestationId: attestation.id, item: refOf(item), owner: item.owner, asked: attestation.person, openedAt: attestation.openedAt, canAnswer });
        escalations.set(target.level, rung);
        return;
      }
      case 'expire': {
        // Asked again on the normal cadence; the queue entry keeps it in front of security meanwhile.
        const nextAttestationAt = addDays(now, cadenceDays(riskOf(item), policy));
        decisions.push({ type: 'expire', attestationId: attestation.id, itemId: item.id, ref: item.ref, person: attestation.person?.email ?? null, nextAttestationAt });
        enqueue(item, item.owner, 'attestation_expired');
        return;
      }
      case 'none':
        decisions.push({ type: 'reschedule_attestation', attestationId: attestation.id, ref: item.ref, nextActionAt: step.nextActionAt });
        return;
    }
  }

  /** When the lifetime and staleness flags of an identity will next need a look. */
  function flagTimes(item: TickItem): Array<string | null> {
    if (item.kind !== 'identity' || item.identityKind === null) return [];
    const lifetime = item.createdAt ? addDays(item.createdAt, policy.credentials.maxLifetimeDays[item.identityKind]) : null;
    const lastSign = item.lastUsedAt ?? item.createdAt;
    const stale = lastSign ? addDays(lastSign, policy.credentials.staleAfterDaysUnused) : null;
    return [lifetime && lifetime > now ? lifetime : null, stale && stale > now ? stale : null];
  }

  /**
   * How a credential outlives the policy's lifetime for its kind (OWASP NHI7), in words, or null when it does
   * not: it never expires, it was issued to live longer, or it is simply older than that by now.
   */
  function lifetimeBreach(item: TickItem, kind: IdentityKind): string | null {
    const maxDays = policy.credentials.maxLifetimeDays[kind];
    const allows = `the policy allows ${withArticle(kind.replaceAll('_', ' '))} ${maxDays} days (OWASP NHI7)`;
    if (item.expiresAt === null) return `never expires; ${allows}`;
    if (isLongLived({ kind: 'identity', identityKind: kind, scopes: item.scopes, createdAt: item.createdAt, expiresAt: item.expiresAt }, policy))
      return `is set to live ${daysBetween(item.createdAt ?? item.expiresAt, item.expiresAt)} days; ${allows}`;
    if (item.createdAt !== null && addDays(item.createdAt, maxDays) <= now) return `is older than the ${maxDays} days the policy allows for ${withArticle(kind.replaceAll('_', ' '))} (OWASP NHI7)`;
    return null;
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
    const lifetime = lifetimeBreach(item, item.identityKind);
    const flags: Array<[FlagCode, boolean, string]> = [
      ['past_lifetime', lifetime !== null, lifetime ?? ''],
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
  for (const { addressee, items } of reminders) if (addressee.kind === 'person') messages.push(...reminderMessages(personOf(addressee), now, items));
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

const withArticle = (noun: string) => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

function personOf(addressee: Extract<Addressee, { kind: 'person' }>): TickPerson {
  return { id: addressee.personId, email: addressee.email, displayName: addressee.displayName, active: true };
}
