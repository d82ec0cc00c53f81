import type Database from 'better-sqlite3';
import type { Addressee, OutgoingMessage } from '../src/messages/outgoing-message.js';
import type { DeliveryResult, DeliveryView, LeaseRequest, OutboxDelivery, RouteRequest, StuckMessage, Unrouted } from '../src/ports/attestation-store.js';
import type { FailureReason } from '../src/ports/chat.js';
import { channelTargetOf } from '../src/ports/chat-identity-store.js';
import type { AuditLog } from './audit-log.js';
import { targetKey } from './channel-bindings.js';

interface UnroutedRow {
  id: number;
  created_at: string;
  kind: string;
  addressee: string;
  next_attempt_at: string;
  attempts: number;
  route_problem: string | null;
  delegated_from: string | null;
}

interface DeliveryRow {
  id: number;
  message_id: number;
  platform: string;
  attempts: number;
  revision: number;
  addressee: string;
  body: string;
  delegated_note: string | null;
  platform_message_id: string | null;
  platform_channel: string | null;
}

/** The messages a delegate receives for a person who is away: what asks them to act. */
const delegatedKinds = new Set(['attestation_prompt', 'reminder', 'escalation', 'credential_warning', 'approval_reminder']);

const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/**
 * How long a message no platform could take waits before it is routed again: as long as it has waited so far,
 * between a minute and an hour, so a message is tried again soon after it is queued and rarely once it is old.
 */
function routeAgainAfterMs(createdAt: string, now: string): number {
  return Math.min(3_600_000, Math.max(60_000, Date.parse(now) - Date.parse(createdAt)));
}

/**
 * The messages no platform could deliver, one row each: never routed since `@before` (nobody delivering), routed
 * nowhere, or given up on a platform. `steward outbox --stuck` lists them; the digest counts them.
 */
const stuckRows = `
  SELECT o.id, o.created_at, o.kind, o.addressee, NULL AS platform, 'unrouted' AS reason, NULL AS error
    FROM outbox o WHERE o.routed_at IS NULL AND o.route_after IS NULL AND o.created_at < @before
  UNION ALL
  SELECT o.id, o.created_at, o.kind, o.addressee, NULL, 'no_platform', o.route_problem
    FROM outbox o WHERE o.route_problem IS NOT NULL
      -- A person every platform failed to reach is listed once, by the failures that say where and why.
      AND NOT EXISTS (SELECT 1 FROM deliveries f WHERE f.message_id = o.id AND f.status = 'failed')
  UNION ALL
  SELECT o.id, o.created_at, o.kind, o.addressee, d.platform, d.failure, d.last_error
    FROM deliveries d JOIN outbox o ON o.id = d.message_id WHERE d.status = 'failed'`;

/**
 * The outbox's deliveries: routing a message to the platforms that can take it, claiming due deliveries under a
 * lease stored in the database, and recording what each platform answered. Each method is one IMMEDIATE
 * transaction, so dispatchers in several processes take turns and never hold the same delivery.
 */
export class Deliveries {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
  ) {
    this.s = {
      unrouted: db.prepare<[string, number], UnroutedRow>(
        `SELECT id, created_at, kind, addressee, next_attempt_at, attempts, route_problem, delegated_from FROM outbox WHERE routed_at IS NULL AND route_after IS NULL AND created_at <= ? ORDER BY id LIMIT ?`,
      ),
      // Messages no platform could take before, whose wait is over.
      waiting: db.prepare<[string, number], UnroutedRow>(
        `SELECT id, created_at, kind, addressee, next_attempt_at, attempts, route_problem, delegated_from FROM outbox WHERE routed_at IS NULL AND route_after <= ? ORDER BY route_after, id LIMIT ?`,
      ),
      boundOn: db.prepare<[string], string>('SELECT platform FROM channel_bindings WHERE target = ?').pluck(),
      accounts: db.prepare<[number], { platform: string }>('SELECT platform FROM chat_accounts WHERE person_id = ?'),
      unreachableOn: db.prepare<[number], { platform: string }>(`SELECT platform FROM deliveries WHERE message_id = ? AND status = 'failed' AND failure = 'unreachable'`),
      addDelivery: db.prepare<{ message: number; platform: string; next: string; attempts: number }>(
        `INSERT INTO deliveries (message_id, platform, status, attempts, next_attempt_at) VALUES (@message, @platform, 'pending', @attempts, @next)
         ON CONFLICT (message_id, platform) DO NOTHING`,
      ),
      routed: db.prepare<[string, string | null, number]>('UPDATE outbox SET routed_at = ?, route_problem = ?, route_after = NULL WHERE id = ?'),
      wait: db.prepare<[string, string, number]>('UPDATE outbox SET route_problem = ?, route_after = ? WHERE id = ?'),
      // Attestations this message asked about, still open, whose ladder stands where the message was sent.
      subjectsOf: db.prepare<[number], { subject: string }>('SELECT subject FROM outbox_subjects WHERE outbox_id = ?'),
      markUnreachable: db.prepare<[string, number]>(
        `UPDATE attestations SET unreachable_level = escalation_level, next_action_at = ? WHERE id = ? AND status = 'open'`,
      ),
      attestationItem: db.prepare<[number], { item_id: number; ref: string; status: string }>(
        'SELECT a.item_id, i.ref, a.status FROM attestations a JOIN items i ON i.id = a.item_id WHERE a.id = ?',
      ),
      due: db.prepare<{ platform: string; now: string; limit: number }, { id: number; lease_owner: string | null; leased_at: string | null }>(
        `SELECT id, lease_owner, leased_at FROM deliveries WHERE platform = @platform AND status = 'pending' AND next_attempt_at <= @now
           AND (lease_until IS NULL OR lease_until <= @now)
         ORDER BY next_attempt_at, id LIMIT @limit`,
      ),
      lease: db.prepare<{ id: number; owner: string; until: string; now: string }>(
        `UPDATE deliveries SET lease_owner = @owner, lease_until = @until, leased_at = @now,
           leased_revision = (SELECT revision FROM outbox WHERE id = deliveries.message_id)
         WHERE id = @id`,
      ),
      held: db.prepare<[number], DeliveryRow>(
        `SELECT d.id, d.message_id, d.platform, d.attempts, o.revision, o.addressee, o.body, o.delegated_note, d.platform_message_id, d.platform_channel
         FROM deliveries d JOIN outbox o ON o.id = d.message_id WHERE d.id = ?`,
      ),
      renew: db.prepare<{ id: number; owner: string; now: string; until: string }>(
        `UPDATE deliveries SET lease_until = @until WHERE id = @id AND lease_owner = @owner AND status = 'pending' AND lease_until > @now`,
      ),
      mine: db.prepare<[number, string], { leased_revision: number; message_id: number; revision: number }>(
        `SELECT d.leased_revision, d.message_id, o.revision FROM deliveries d JOIN outbox o ON o.id = d.message_id
         WHERE d.id = ? AND d.lease_owner = ? AND d.status = 'pending'`,
      ),
      sent: db.prepare<{ id: number; messageId: string; channel: string | null; now: string; revision: number; again: number }>(
        `UPDATE deliveries SET status = CASE WHEN @again = 1 THEN 'pending' ELSE 'sent' END, attempts = CASE WHEN @again = 1 THEN 0 ELSE attempts + 1 END,
           platform_message_id = @messageId, platform_channel = @channel, sent_at = @now, delivered_revision = @revision,
           next_attempt_at = @now, last_error = NULL, lease_owner = NULL, lease_until = NULL
         WHERE id = @id`,
      ),
      retry: db.prepare<{ id: number; counts: number; next: string; error: string }>(
        `UPDATE deliveries SET attempts = attempts + @counts, next_attempt_at = @next, last_error = @error, lease_owner = NULL, lease_until = NULL WHERE id = @id`,
      ),
      failed: db.prepare<{ id: number; reason: string; error: string }>(
        `UPDATE deliveries SET status = 'failed', attempts = attempts + 1, failure = @reason, last_error = @error, lease_owner = NULL, lease_until = NULL WHERE id = @id`,
      ),
      reroute: db.prepare<[number]>('UPDATE outbox SET routed_at = NULL WHERE id = ?'),
      // The delegation in force for a person at a time (out of office), the latest if several.
      delegate: db.prepare<[number, string, string], { id: number; email: string; display_name: string | null; ends_at: string; from_email: string }>(
        `SELECT p.id, p.email, p.display_name, d.ends_at, f.email AS from_email FROM delegations d JOIN people p ON p.id = d.delegate_id JOIN people f ON f.id = d.person_id
         WHERE d.person_id = ? AND d.ended_at IS NULL AND d.starts_at <= ? AND d.ends_at > ? ORDER BY d.id DESC LIMIT 1`,
      ),
      readdress: db.prepare<[string, string | null, string | null, number]>('UPDATE outbox SET addressee = ?, delegated_from = ?, delegated_note = ? WHERE id = ?'),
      message: db.prepare<[number], { addressee: string; kind: string }>('SELECT addressee, kind FROM outbox WHERE id = ?'),
      view: db.prepare<[number], { platform: string; body: string; delegated_note: string | null; platform_channel: string | null }>(
        'SELECT d.platform, o.body, o.delegated_note, d.platform_channel FROM deliveries d JOIN outbox o ON o.id = d.message_id WHERE d.id = ?',
      ),
      stuck: db.prepare<{ before: string; limit: number }, { id: number; created_at: string; kind: string; addressee: string; platform: string | null; reason: string; error: string | null }>(
        `SELECT * FROM (${stuckRows}) ORDER BY created_at, id LIMIT @limit`,
      ),
      stuckCount: db.prepare<{ before: string }, { n: number }>(`SELECT count(*) AS n FROM (${stuckRows})`),
    };
  }

  route(request: RouteRequest): { routed: number; unroutable: number } {
    return this.db.transaction(() => {
      let routed = 0;
      let unroutable = 0;
      // New messages first; those waiting for a platform to take them fill what is left of the limit.
      const fresh = this.s.unrouted.all(request.now, request.limit);
      const rows = fresh.length < request.limit ? [...fresh, ...this.s.waiting.all(request.now, request.limit - fresh.length)] : fresh;
      for (const row of rows) {
        const addressee = this.delegated(row.id, JSON.parse(row.addressee) as Addressee, row.delegated_from, row.kind, request.now);
        const target = channelTargetOf(addressee);
        const message: Unrouted = {
          messageId: row.id,
          addressee,
          accounts: addressee.kind === 'person' ? this.s.accounts.all(addressee.personId).map((a) => a.platform) : [],
          unreachableOn: this.s.unreachableOn.all(row.id).map((d) => d.platform),
          boundOn: target === null ? [] : this.s.boundOn.all(targetKey(target)),
        };
        const decision = request.route(message);
        if ('platforms' in decision) {
          for (const platform of decision.platforms) this.s.addDelivery.run({ message: row.id, platform, next: row.next_attempt_at, attempts: row.attempts });
          this.s.routed.run(request.now, null, row.id);
          // Nowhere, on purpose: settled without a problem (so never stuck), and why is kept in the audit trail.
          if (decision.platforms.length === 0)
            this.audit.append({ at: request.now, actor: 'steward:outbox', action: 'outbox.not_sent', details: { message: row.id, kind: row.kind, to: addressee.kind, note: decision.note ?? null } });
          routed += 1;
          continue;
        }
        // Counted once, when it is first found unroutable, not at each try after.
        if (row.route_problem === null) unroutable += 1;
        if (decision.unreachable) {
          // Final: what the message asked about climbs its ladder, and the next rung is a message of its own.
          this.s.routed.run(request.now, decision.problem, row.id);
          this.unreachable(row.id, addressee, decision.problem, request.now);
        } else this.s.wait.run(decision.problem, plusMs(request.now, routeAgainAfterMs(row.created_at, request.now)), row.id);
      }
      return { routed, unroutable };
    }).immediate();
  }

  /**
   * A message for a person who delegated their work for now (out of office) goes to their delegate instead, as
   * it is sent, not when it was decided: prompts, reminders, escalations, warnings and approvals' reminders, with a
   * line saying for whom. Offers and receipts stay theirs (nobody accepts ownership for someone else).
   */
  private delegated(messageId: number, current: Addressee, delegatedFrom: string | null, kind: string, now: string): Addressee {
    // Whom it was for in the first place: a message routed before goes by the delegation in force now, once.
    const addressee = delegatedFrom === null ? current : (JSON.parse(delegatedFrom) as Addressee);
    if (addressee.kind !== 'person' || !delegatedKinds.has(kind)) return addressee;
    const delegate = this.s.delegate.get(addressee.personId, now, now);
    if (!delegate) {
      if (delegatedFrom !== null) this.s.readdress.run(delegatedFrom, null, null, messageId);
      return addressee;
    }
    const to: Addressee = { kind: 'person', personId: delegate.id, email: delegate.email, displayName: delegate.display_name };
    const note = `For ${delegate.from_email}, who is away until ${delegate.ends_at.slice(0, 10)}: you stand in for them.`;
    this.s.readdress.run(JSON.stringify(to), JSON.stringify(addressee), note, messageId);
    this.audit.append({ at: now, actor: 'steward:outbox', action: 'delegation.routed', details: { message: messageId, kind, for: addressee.email, to: delegate.email } });
    return to;
  }

  /** Nobody could reach the person: what the message asked them climbs its ladder at the next tick. */
  private unreachable(messageId: number, addressee: Addressee, problem: string, now: string): void {
    for (const { subject } of this.s.subjectsOf.all(messageId)) {
      const id = Number(/^attestation:(\d+)$/.exec(subject)?.[1] ?? Number.NaN);
      const attestation = Number.isNaN(id) ? undefined : this.s.attestationItem.get(id);
      if (!attestation || attestation.status !== 'open') continue;
      this.s.markUnreachable.run(now, id);
      this.audit.append({
        at: now,
        actor: 'steward:outbox',
        action: 'attestation.unreachable',
        itemId: attestation.item_id,
        subject: attestation.ref,
        details: { attestation: id, person: addressee.kind === 'person' ? addressee.email : null, problem },
      });
    }
  }

  claim(request: LeaseRequest): OutboxDelivery[] {
    return this.db.transaction(() => {
      const until = plusMs(request.now, request.leaseMs);
      return this.s.due.all({ platform: request.platform, now: request.now, limit: request.limit }).flatMap((due) => {
        this.s.lease.run({ id: due.id, owner: request.owner, until, now: request.now });
        const row = this.s.held.get(due.id);
        // A lease that ran out with nothing recorded: its holder may have delivered it just before it died.
        const inDoubtSince = due.lease_owner !== null ? due.leased_at : null;
        return row ? [toDelivery(row, inDoubtSince)] : [];
      });
    }).immediate();
  }

  renew(deliveryId: number, owner: string, now: string, leaseMs: number): boolean {
    return this.db.transaction(() => this.s.renew.run({ id: deliveryId, owner, now, until: plusMs(now, leaseMs) }).changes === 1).immediate();
  }

  record(deliveryId: number, owner: string, result: DeliveryResult, now: string): void {
    this.db.transaction(() => {
      const held = this.s.mine.get(deliveryId, owner);
      // Not this owner's any more (its lease ran out and another took it over), or already recorded.
      if (!held) return;
      if (result.status === 'sent') {
        // Rewritten while on its way: what was delivered is the revision leased; the rewrite follows as an update.
        const again = held.revision > held.leased_revision ? 1 : 0;
        this.s.sent.run({ id: deliveryId, messageId: result.messageId, channel: result.channel, now, revision: held.leased_revision, again });
      } else if (result.status === 'retry') {
        this.s.retry.run({ id: deliveryId, counts: result.countsAsAttempt ? 1 : 0, next: plusMs(now, result.afterMs), error: result.error });
      } else {
        this.s.failed.run({ id: deliveryId, reason: result.reason, error: result.error });
        if (result.reason === 'unreachable' && this.isForAPerson(held.message_id)) this.s.reroute.run(held.message_id);
      }
    }).immediate();
  }

  private isForAPerson(messageId: number): boolean {
    const row = this.s.message.get(messageId);
    return row !== undefined && (JSON.parse(row.addressee) as Addressee).kind === 'person';
  }

  view(deliveryId: number): DeliveryView | null {
    return deliveryViewOf(this.s.view.get(deliveryId));
  }

  /** How many messages `stuck` would list without a limit (the digest's "messages no platform could deliver"). */
  stuckCount(unroutedBefore: string): number {
    return this.s.stuckCount.get({ before: unroutedBefore })?.n ?? 0;
  }

  stuck(unroutedBefore: string, limit: number): StuckMessage[] {
    return this.s.stuck.all({ before: unroutedBefore, limit }).map((row) => ({
      messageId: row.id,
      createdAt: row.created_at,
      kind: row.kind,
      addressee: JSON.parse(row.addressee) as Addressee,
      platform: row.platform,
      reason: row.reason as FailureReason | 'unrouted' | 'no_platform',
      error: row.error,
    }));
  }
}

/** The message as its addressee reads it: for a delegate, with the line saying for whom they stand in. */
function messageOf(body: string, note: string | null): OutgoingMessage {
  const message = JSON.parse(body) as OutgoingMessage;
  return note === null ? message : { ...message, text: `${note} ${message.text}` };
}

/** A delivery's message as it stands now (its latest revision), and where it was posted. */
export function deliveryViewOf(row: { platform: string; body: string; delegated_note: string | null; platform_channel: string | null } | undefined): DeliveryView | null {
  return row === undefined ? null : { platform: row.platform, message: messageOf(row.body, row.delegated_note), channel: row.platform_channel };
}

function toDelivery(row: DeliveryRow, inDoubtSince: string | null): OutboxDelivery {
  return {
    inDoubtSince,
    id: row.id,
    messageId: row.message_id,
    platform: row.platform,
    addressee: JSON.parse(row.addressee) as Addressee,
    message: messageOf(row.body, row.delegated_note),
    revision: row.revision,
    attempts: row.attempts,
    delivered: row.platform_message_id === null ? null : { messageId: row.platform_message_id, channel: row.platform_channel },
  };
}
