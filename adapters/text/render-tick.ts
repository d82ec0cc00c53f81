import type { TickReport } from '../../src/attestation/run-tick.js';
import type { ApprovalTickDecision } from '../../src/approvals/approval-tick.js';
import type { TickDecision as AttestationDecision } from '../../src/attestation/tick-state.js';
import type { DigestDecision } from '../../src/digest/make-digest.js';

/** A tick's decision: about items and attestations, approval requests' ladders, or the period's digest. */
type TickDecision = AttestationDecision | ApprovalTickDecision | DigestDecision;

/** "2026-12-05 09:00 UTC": the minute is all a person needs of a tick's time. */
export function formatMinute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

// Bookkeeping every tick does for every item it looks at: counted, never listed.
const routine = new Set<TickDecision['type']>(['schedule', 'reschedule_attestation', 'approval_schedule']);

/**
 * One decision as one JSON line for `tick --json`: `type`, `item` (the ref), `person` (whom it concerns: the
 * person asked or warned, the new owner, the escalation's recipient) and `level` (escalations), then the
 * decision's own fields. The facts shown to the owner are left out: `who` has them.
 */
export function decisionRecord(decision: TickDecision): Record<string, unknown> {
  const { type, ...fields } = decision;
  const rest: Record<string, unknown> = { ...fields };
  for (const key of ['ref', 'person', 'to', 'level', 'facts', 'personId', 'toPersonId']) delete rest[key];
  const person = 'to' in decision ? decision.to : 'person' in decision ? decision.person : null;
  return { type, item: 'ref' in decision ? decision.ref : null, person, level: 'level' in decision ? decision.level : null, ...rest };
}

const day = (iso: string | null) => (iso === null ? 'never' : iso.slice(0, 10));

/** One notable decision as a line a person reads. */
export function describeDecision(d: TickDecision): string {
  switch (d.type) {
    case 'open_attestation':
      return `ask       ${d.ref} → ${d.person}${d.reason === 'owner_left' ? ' (its owner left; they were the backup)' : ''}, due ${day(d.dueAt)}`;
    case 'remind':
      return `remind    ${d.ref} → ${d.person ?? 'nobody (the person asked has left)'} (reminder ${d.remindersSent})`;
    case 'escalate':
      return `escalate  ${d.ref} → ${d.to} (level ${d.level})`;
    case 'expire':
      return `expire    ${d.ref}: ${d.person ?? 'nobody'} did not answer; in the security queue, asked again ${day(d.nextAttestationAt)}`;
    case 'supersede':
      return `withdraw  ${d.ref}: the open question is withdrawn (${d.why})`;
    case 'queue':
      return `queue     ${d.ref} → ${d.queue === 'team' ? "its team's channel" : 'the security queue'} (${d.reason.replaceAll('_', ' ')}${d.detail ? `: ${d.detail}` : ''})`;
    case 'dequeue':
      return `dequeue   ${d.ref}: ${d.why}`;
    case 'warn_expiry':
      return `warn      ${d.ref} ${d.offsetDays > 0 ? `expires ${day(d.expiresAt)} (the ${d.offsetDays}-day warning)` : `expired on ${day(d.expiresAt)}`} → ${d.person ?? 'its team or the security channel'}`;
    case 'flag':
      return `flag      ${d.ref}: ${d.detail}`;
    case 'unflag':
      return `unflag    ${d.ref}: no longer ${d.code.replaceAll('_', ' ')}`;
    case 'reassign':
      return `reassign  ${d.ref}: ${d.from} → ${d.to}`;
    case 'leaver_handled':
      return `leaver    ${d.person} has left: ${d.items} item${d.items === 1 ? '' : 's'} re-routed`;
    case 'approval_post':
      return `post      ${d.ref}: request #${d.requestId} posted to ${d.where === 'team' ? "its team's channel" : 'the security channel'} for its approvers`;
    case 'approval_remind':
      return `remind    ${d.ref}: request #${d.requestId} → ${d.to || 'nobody'} (reminder ${d.remindersSent})`;
    case 'approval_escalate':
      return `escalate  ${d.ref}: request #${d.requestId} → ${d.to} (level ${d.level})`;
    case 'offer_remind':
      return `remind    ${d.ref}: transfer #${d.requestId} offered to ${d.to} (reminder ${d.remindersSent})`;
    case 'offer_escalate':
      return `escalate  ${d.ref}: transfer #${d.requestId} unanswered → ${d.to} (level ${d.level})`;
    case 'approval_expire':
      return `expire    ${d.ref}: request #${d.requestId} expired undecided; nothing changed`;
    case 'approval_cancel':
      return `cancel    ${d.ref}: request #${d.requestId} no longer stands (${d.why}); nothing changed`;
    case 'digest':
      return `digest    ${d.scope === 'security' ? 'the security leads’ digest' : `team ${d.scope}’s digest`} for ${formatMinute(d.scheduledAt)}: coverage ${d.coveragePercent}%, ${d.overdue} overdue, ${d.waiting} waiting for an owner`;
    case 'schedule':
    case 'reschedule_attestation':
    case 'approval_schedule':
      return `${d.type} ${d.ref}`;
  }
}

const countWords: Partial<Record<TickDecision['type'], [string, string]>> = {
  open_attestation: ['attestation opened', 'attestations opened'],
  remind: ['reminder', 'reminders'],
  escalate: ['escalation', 'escalations'],
  expire: ['attestation expired', 'attestations expired'],
  supersede: ['question withdrawn', 'questions withdrawn'],
  queue: ['item queued for an owner', 'items queued for an owner'],
  dequeue: ['item left a queue', 'items left a queue'],
  warn_expiry: ['expiry warning', 'expiry warnings'],
  flag: ['credential flagged', 'credentials flagged'],
  unflag: ['flag cleared', 'flags cleared'],
  reassign: ['item handed to a backup', 'items handed to a backup'],
  leaver_handled: ['leaver handled', 'leavers handled'],
  approval_post: ['request posted', 'requests posted'],
  approval_remind: ['approval reminder', 'approval reminders'],
  approval_escalate: ['request escalated', 'requests escalated'],
  offer_remind: ['transfer offer reminder', 'transfer offer reminders'],
  offer_escalate: ['transfer offer escalated', 'transfer offers escalated'],
  approval_expire: ['request expired', 'requests expired'],
  approval_cancel: ['request cancelled', 'requests cancelled'],
  digest: ['digest', 'digests'],
};

/** Notable decisions listed before "… and N more". */
export const listedDecisions = 40;

/**
 * `tick` in words: when it ran, the counts by kind of decision, then each notable decision (reminders,
 * escalations, warnings…; the routine rescheduling is only counted), unless `list` is false (the console shows
 * the messages instead). The caller adds what became of the messages.
 */
export function renderTickReport(report: TickReport, options: { readonly list?: boolean } = {}): string {
  const notable = report.decisions.filter((d) => !routine.has(d.type));
  const counts = new Map<TickDecision['type'], number>();
  for (const d of notable) counts.set(d.type, (counts.get(d.type) ?? 0) + 1);
  const header = `${report.dryRun ? 'Dry run of the tick' : 'Tick'} at ${formatMinute(report.at)}: `;
  if (notable.length === 0) return `${header}nothing was due.`;
  const summary = [...counts].map(([type, n]) => {
    const [one, many] = countWords[type] ?? [type, type];
    return `${n} ${n === 1 ? one : many}`;
  });
  if (options.list === false) return `${header}${summary.join(', ')}.`;
  const lines = [`${header}${summary.join(', ')}.`, ...notable.slice(0, listedDecisions).map((d) => `  ${describeDecision(d)}`)];
  if (notable.length > listedDecisions) lines.push(`  … and ${notable.length - listedDecisions} more (--json lists every decision)`);
  return lines.join('\n');
}
