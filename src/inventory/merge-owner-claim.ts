import type { FindingData } from './import-entry.js';

/** The four roles of an owner, by whatever key the caller uses (ids in storage, slugs and emails in tests). */
export interface OwnerRoles<T> {
  readonly team: T | null;
  readonly accountable: T | null;
  readonly backup: T | null;
  readonly approver: T | null;
}

export type OwnerRolesClaim<T> = { readonly [K in keyof OwnerRoles<T>]?: T | undefined };

/**
 * The owner after a source states `claim`. A role the source leaves out keeps its current holder while the
 * team stays the same, so a catalog that names only a team does not erase the person chat assigned; when the
 * team changes, the people roles start again from what the source says.
 */
export function mergeOwnerClaim<T>(current: OwnerRoles<T>, claim: OwnerRolesClaim<T>): OwnerRoles<T> {
  const team = claim.team ?? current.team;
  const sameTeam = team === current.team;
  const pick = (role: 'accountable' | 'backup' | 'approver'): T | null => claim[role] ?? (sameTeam ? current[role] : null);
  return { team, accountable: pick('accountable'), backup: pick('backup'), approver: pick('approver') };
}

export function sameOwner<T>(a: OwnerRoles<T>, b: OwnerRoles<T>): boolean {
  return a.team === b.team && a.accountable === b.accountable && a.backup === b.backup && a.approver === b.approver;
}

/**
 * True when one person is both accountable and backup: the escalation ladder's backup rung then reaches nobody
 * new, and the item has no second person who can answer for it. Worth a warning at import, not a refusal.
 */
export function backupIsAccountable<T>(owner: OwnerRoles<T>): boolean {
  return owner.accountable !== null && owner.accountable === owner.backup;
}

/** The warning import and check give of an owner whose accountable person is also the backup, in one wording. */
export function backupIsAccountableWarning(kind: 'api' | 'identity', ref: string, email: string | null): FindingData {
  return {
    severity: 'warning',
    code: 'owner_backup_is_accountable',
    subject: `${kind}:${ref}`,
    message: `${kind} ${ref}: ${email ?? 'one person'} is both its accountable person and its backup, so the escalation ladder's backup rung reaches nobody new; name another backup`,
  };
}

/**
 * The owner an import leaves: the source's claim merged into the current owner, except that a source still naming
 * someone who has left does not take the item back from the active person who took it over (the backup, by the
 * leaver flow, or a claim in chat): the leaver stays out until the source names someone new.
 */
export function ownerAfterImport<T>(current: OwnerRoles<T>, claim: OwnerRolesClaim<T>, isActive: (person: T) => boolean): OwnerRoles<T> {
  const merged = mergeOwnerClaim(current, claim);
  const leaverNamedAgain =
    merged.accountable !== null && merged.accountable !== current.accountable && current.accountable !== null && isActive(current.accountable) && !isActive(merged.accountable);
  return leaverNamedAgain ? { ...merged, accountable: current.accountable } : merged;
}
