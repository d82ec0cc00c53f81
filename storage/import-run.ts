import type { ApiData, CheckedEntry, FindingData, IdentityData, LinkClaim, PendingItemEntry, SuggestionData, ValidEntry } from '../src/inventory/import-entry.js';
import { backupIsAccountable, backupIsAccountableWarning, mergeOwnerClaim, ownerAfterImport, sameOwner, type OwnerRoles, type OwnerRolesClaim } from '../src/inventory/merge-owner-claim.js';
import { formatLocation, type SourceLocation } from '../src/inventory/source-location.js';
import type { AuditLog } from './audit-log.js';
import { applyApprovedState, type ApprovedStateOutcome } from './import-approved-state.js';
import { ImportDirectory, type RunContext } from './import-directory.js';
import { storedFingerprint, type ImportStatements, type ItemRow } from './import-statements.js';
import type { Tally } from './import-tally.js';
import type { SeenItems } from './seen-items.js';
import { apiFacts, diffFacts, factColumns, identityFacts, type FactValues } from './item-facts.js';
import type { OwnershipHistory } from './ownership-history.js';

function ownerOf(row: ItemRow): OwnerRoles<number> {
  return { team: row.owner_team_id, accountable: row.accountable_person_id, backup: row.backup_person_id, approver: row.approver_person_id };
}

function linkKey(link: { relation: string; to_kind: string; to_ref: string }): string {
  return `${link.relation}\u0000${link.to_kind}\u0000${link.to_ref.toLowerCase()}`;
}

/**
 * One snapshot applied, entry by entry: items upserted by (source, source key) with their owners, links and
 * history; teams and people through the directory; findings and suggestions; then what vanished.
 */
export class ImportRun {
  private readonly directory: ImportDirectory;

  constructor(
    private readonly s: ImportStatements,
    private readonly audit: AuditLog,
    private readonly history: OwnershipHistory,
    private readonly request: RunContext,
    private readonly importId: number,
    /** The items this request has written or kept so far, in any of its snapshots. */
    private readonly seen: SeenItems,
    /** When the source's import before this one ran (null for its first): when the items it still lists were last seen. */
    private readonly previousImportAt: string | null,
    private readonly tally: Tally,
    /** The items with approved state (an approved change the source must not silently undo): never kept unchanged. */
    private readonly approvedItems: ReadonlySet<number>,
    /** Called after each new item, so a large import can switch to bulk loading. */
    private readonly afterCreate: () => void,
  ) {
    this.directory = new ImportDirectory(s, audit, request, importId, tally);
  }

  accept(entry: CheckedEntry | PendingItemEntry): void {
    if (entry.type !== 'pending') this.acceptChecked(entry, null);
    else if (this.keepUnchanged(entry)) this.tally[entry.kind === 'api' ? 'apis' : 'identities'].unchanged += 1;
    else this.acceptChecked(entry.check(), entry.fingerprint);
  }

  /**
   * The item as the same entry left it: marked seen, nothing else to do. The store's part of the bargain that lets an
   * unchanged entry skip its check: nothing an import would do with it now differs from what it did then, because
   * facts and links are written by imports alone, the ref is the same, the item is still listed, and its owner is the
   * one that import left, which was already all the entry's claim would make of it (so no leaver rule applies).
   */
  private keepUnchanged(entry: PendingItemEntry): boolean {
    // A source's first import has nothing to keep.
    if (this.previousImportAt === null) return false;
    const id = this.s.unchangedItem.get(this.request.source, entry.sourceKey, entry.kind, entry.ref ?? null, entry.fingerprint);
    // Seen already: listed twice, which the full path refuses. Approved state: compared, and any drift reported.
    if (id === undefined || this.seen.has(id) || this.approvedItems.has(id)) return false;
    this.seen.add(id);
    return true;
  }

  private acceptChecked(entry: CheckedEntry, fingerprint: string | null): void {
    switch (entry.type) {
      case 'invalid':
        this.tally.refuse(entry.problems);
        return;
      case 'team':
        this.directory.upsertTeam(entry.data, entry);
        return;
      case 'person':
        this.directory.upsertPerson(entry.data);
        return;
      case 'api':
        this.upsertItem('api', entry, apiFacts(entry.data), entry.data, fingerprint);
        return;
      case 'identity':
        this.upsertItem('identity', entry, identityFacts(entry.data), entry.data, fingerprint);
        return;
      case 'suggestion':
        this.addSuggestion(entry.data);
        return;
      case 'finding':
        this.addFinding(entry.data, entry.at);
        return;
    }
  }

  finish(): void {
    const { at, source, actor } = this.request;
    // A source's first import has nothing to lose.
    // All at once: iterating the statement costs a call per row, and took over twice as long.
    const unseen = this.previousImportAt === null ? [] : this.s.itemIdsOf.all(source).filter((id) => !this.seen.has(id));
    for (const id of unseen) {
      const item = this.s.listedItem.get(id);
      if (item === undefined) continue; // vanished before
      this.s.markItemVanished.run({ at, lastSeenAt: this.previousImportAt, id: item.id });
      this.tally[item.kind === 'api' ? 'apis' : 'identities'].vanished += 1;
      this.audit.append({ at, actor, action: 'item.vanished', itemId: item.id, subject: item.ref, details: { source } });
    }
    this.directory.finish();
    this.s.dropStaleSuggestions.run(source, this.importId);
    this.s.resolveStaleFindings.run(at, source, this.importId);
  }

  private upsertItem(kind: 'api' | 'identity', entry: ValidEntry, facts: FactValues, data: ApiData | IdentityData, fingerprint: string | null): void {
    const { at, source, actor } = this.request;
    const counts = kind === 'api' ? this.tally.apis : this.tally.identities;
    const claim = data.owner;
    const claimed: OwnerRolesClaim<number> = {
      team: claim?.team === undefined ? undefined : this.directory.teamId(claim.team),
      accountable: this.directory.optionalPerson(claim?.accountable),
      backup: this.directory.optionalPerson(claim?.backup),
      approver: this.directory.optionalPerson(claim?.approver),
    };

    // A new item's owner is its claim alone, which the same claim leaves as it is: the fingerprint can be kept.
    const owner = mergeOwnerClaim<number>({ team: null, accountable: null, backup: null, approver: null }, claimed);
    const hasOwner = owner.team !== null || owner.accountable !== null;
    const inserted = this.s.insertItem.run(
      kind, ...facts, owner.team, owner.accountable, owner.backup, owner.approver, hasOwner ? at : null,
      source, entry.sourceKey, this.importId, at, at, at, storedFingerprint(fingerprint, owner),
    );
    if (inserted.changes === 1) {
      const id = Number(inserted.lastInsertRowid);
      this.seen.add(id);
      for (const link of data.links) this.s.insertLink.run(id, link.relation, link.kind, link.ref);
      counts.created += 1;
      this.afterCreate();
      this.warnIfBackupIsAccountable(kind, data.ref, entry.at, owner);
      return;
    }

    let existing = this.s.itemBySourceKey.get(source, entry.sourceKey);
    if (existing && existing.kind !== kind) {
      this.tally.refuse([{ at: entry.at, field: null, message: `${entry.sourceKey} is a${existing.kind === 'api' ? 'n API' : 'n identity'} in this source already` }]);
      return;
    }
    if (existing !== undefined && this.seen.has(existing.id)) {
      this.tally.refuse([{ at: entry.at, field: null, message: `${data.ref} appears more than once in this import` }]);
      return;
    }
    const sameRef = this.s.itemByRef.get(kind, data.ref);
    if (sameRef && sameRef.id !== existing?.id) {
      // A ref belongs to one source at a time. Another source may take an item over only once it has vanished
      // from its own (a team moving from a spreadsheet to Backstage); while both state it, the import is
      // refused, or the item would change hands on every import. An old key of this same source is a rename.
      const refusal = this.seen.has(sameRef.id)
        ? `${kind} ${data.ref} appears more than once in this import${sameRef.source === source ? '' : ` (also from source ${sameRef.source})`}`
        : existing
          ? `${kind} ${data.ref} is already in the inventory from source ${sameRef.source}`
          : sameRef.source !== source && sameRef.vanished_at === null
            ? `${kind} ${data.ref} belongs to source ${sameRef.source}; remove it there first (it is taken over once it has vanished from that source), or import under that source's name`
            : null;
      if (refusal !== null) {
        this.tally.refuse([{ at: entry.at, field: 'ref', message: refusal }]);
        return;
      }
      existing = sameRef;
      if (sameRef.source !== source) {
        this.tally.notes.push(`${kind} ${data.ref}: taken over from source ${sameRef.source}, where it had vanished`);
        this.audit.append({ at, actor, action: 'item.source_changed', itemId: sameRef.id, subject: data.ref, details: { from: sameRef.source, to: source } });
      }
    }
    // The insert conflicted, so one of the two lookups found the row it conflicted with.
    if (!existing) throw new Error(`import: ${kind} ${data.ref} neither inserted nor found`);

    const current = ownerOf(existing);
    const approved = this.approvedItems.has(existing.id) ? this.keepApproved(kind, data.ref, existing, facts, claimed) : null;
    const written = approved?.facts ?? facts;
    const diff = diffFacts(existing, written);
    const changed = Object.keys(diff).length > 0;
    const moved = existing.source !== source || existing.source_key !== entry.sourceKey;
    const next = approved?.owner ?? ownerAfterImport(current, claimed, (person) => this.directory.isActive(person));
    // Kept only when the owner is what this claim alone makes of it, so the next import may skip it unchanged; and
    // never while an approved value overrides the entry, which must be compared again on every import.
    const settled = sameOwner(mergeOwnerClaim(next, claimed), next) && (approved === null || approved.kept.length === 0);
    const fingerprintAfter = settled ? storedFingerprint(fingerprint, next) : null;
    if (changed || moved) {
      // Every column whose value differs, a ref differing only in case included (it is written with the rest).
      const differing = factColumns.filter((column, i) => existing[column] !== written[i]);
      const values = differing.map((column) => written[factColumns.indexOf(column)] ?? null);
      this.s.updateFacts(differing).run(...values, source, entry.sourceKey, this.importId, at, this.previousImportAt, fingerprintAfter, existing.id);
    }
    else if (existing.vanished_at !== null || existing.import_fingerprint !== fingerprintAfter) this.s.touchItem.run(this.importId, at, fingerprintAfter, existing.id);
    this.seen.add(existing.id);
    if (changed) this.audit.append({ at, actor, action: 'item.updated', itemId: existing.id, subject: data.ref, details: { source, changes: diff } });
    if (existing.vanished_at !== null) {
      counts.reappeared += 1;
      this.audit.append({ at, actor, action: 'item.reappeared', itemId: existing.id, subject: data.ref, details: { source } });
    }
    const ownerChanged = !sameOwner(current, next);
    if (ownerChanged) this.applyOwner(existing.id, current, next, data.ref);
    this.warnIfBackupIsAccountable(kind, data.ref, entry.at, next);
    const linksChanged = this.replaceLinks(existing.id, data.links, data.ref);
    if (changed || moved || ownerChanged || linksChanged) counts.updated += 1;
    else counts.unchanged += 1;
  }

  /**
   * Compares the entry with the item's approved state: each value the source contradicts is kept and reported as
   * drift (on every import while it lasts, in the report alone: an unchanged drift adds nothing to the audit trail);
   * each the source now states is cleared, with its audit event, and the source is authoritative for it again.
   */
  private keepApproved(kind: 'api' | 'identity', ref: string, existing: ItemRow, facts: FactValues, claimed: OwnerRolesClaim<number>): ApprovedStateOutcome {
    const { at, actor, source } = this.request;
    const outcome = applyApprovedState({
      kind,
      rows: this.s.approvedStateOf.all(existing.id),
      facts,
      storedScopes: existing.scopes,
      currentOwner: ownerOf(existing),
      claimed,
      isActive: (person) => this.directory.isActive(person),
      describeOwner: (team, accountable) => {
        const words = this.directory.describeOwner({ team, accountable, backup: null, approver: null });
        return `${words.team ?? 'no team'} (${words.accountable ?? 'nobody accountable'})`;
      },
    });
    for (const drift of outcome.kept) this.tally.drift.push({ kind, ref, ...drift });
    for (const { field, requestId } of outcome.agreed) {
      this.s.clearApprovedState.run(existing.id, field);
      this.tally.notes.push(`${kind} ${ref} ${field}: the source now states what request #${requestId} approved; it is the source's again`);
      this.audit.append({ at, actor, action: 'item.approved_state_cleared', itemId: existing.id, subject: ref, details: { source, field, requestId } });
    }
    return outcome;
  }

  /** Closes the current owner into history and writes the new one, with its audit event. */
  private applyOwner(itemId: number, current: OwnerRoles<number>, next: OwnerRoles<number>, ref: string): void {
    const { at, actor, source } = this.request;
    this.history.closeCurrent(itemId, at, `import:${source}`);
    this.s.updateOwner.run({ team: next.team, accountable: next.accountable, backup: next.backup, approver: next.approver, at, id: itemId });
    this.tally.ownershipChanges += 1;
    this.audit.append({
      at,
      actor,
      action: 'item.owner_changed',
      itemId,
      subject: ref,
      details: { source, from: this.directory.describeOwner(current), to: this.directory.describeOwner(next) },
    });
  }

  /** The item's owner leaves its ladder a rung short: a warning finding, resolved once the source names another backup. */
  private warnIfBackupIsAccountable(kind: 'api' | 'identity', ref: string, at: SourceLocation, owner: OwnerRoles<number>): void {
    if (!backupIsAccountable(owner)) return;
    this.addFinding(backupIsAccountableWarning(kind, ref, this.directory.emailOf(owner.accountable)), at);
  }

  private replaceLinks(itemId: number, links: readonly LinkClaim[], ref: string): boolean {
    const before = this.s.linksOf.all(itemId);
    const next = links.map((l) => ({ relation: l.relation, to_kind: l.kind, to_ref: l.ref }));
    const beforeKeys = new Set(before.map(linkKey));
    const nextKeys = new Set(next.map(linkKey));
    if (beforeKeys.size === nextKeys.size && [...nextKeys].every((k) => beforeKeys.has(k))) return false;
    this.s.deleteLinks.run(itemId);
    for (const link of next) this.s.insertLink.run(itemId, link.relation, link.to_kind, link.to_ref);
    const { at, actor, source } = this.request;
    this.audit.append({
      at,
      actor,
      action: 'item.links_changed',
      itemId,
      subject: ref,
      details: { source, links: next.map((l) => `${l.relation} ${l.to_kind}:${l.to_ref}`) },
    });
    return true;
  }

  private addSuggestion(data: SuggestionData): void {
    this.s.upsertSuggestion.run(data.itemKind, data.itemRef, this.request.source, JSON.stringify(data.owners), data.team ?? null, data.reason, this.importId);
    this.tally.suggestions += 1;
  }

  private addFinding(data: FindingData, at: SourceLocation): void {
    const time = this.request.at;
    this.s.upsertFinding.run(this.request.source, data.code, data.subject, data.severity, data.message, formatLocation(at), this.importId, time, time);
    this.tally.findings.push({ ...data, at });
  }
}
