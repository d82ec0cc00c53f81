import type { ApiData, FindingData, IdentityData, OwnerClaim } from '../inventory/import-entry.js';
import { backupIsAccountable, backupIsAccountableWarning } from '../inventory/merge-owner-claim.js';
import type { SourceLocation } from '../inventory/source-location.js';
import type { ApiGateField, IdentityGateField, Policy } from '../policy/policy.js';

export interface GateFinding {
  readonly at: SourceLocation;
  readonly ref: string;
  readonly problem: string;
  /** The item's kind and the gate rule it fails (absent for a finding about the files themselves). */
  readonly kind?: 'api' | 'identity';
  readonly rule?: ApiGateField | IdentityGateField;
}

/** A gate rule waived for one item until a date, by an approved exception. */
export interface GateWaiver {
  readonly kind: 'api' | 'identity';
  readonly ref: string;
  readonly rule: string;
  readonly until: string;
  readonly requestId: number;
}

/**
 * The findings an approved exception waives (the rule, for that item, until its end date) set apart from those that
 * still fail the release. A waiver is matched by kind, ref (case aside) and rule; an ended one waives nothing.
 */
export function applyWaivers(findings: readonly GateFinding[], waivers: readonly GateWaiver[], now: string): { failing: GateFinding[]; waived: Array<GateFinding & { waiver: GateWaiver }> } {
  const failing: GateFinding[] = [];
  const waived: Array<GateFinding & { waiver: GateWaiver }> = [];
  for (const finding of findings) {
    const waiver = waivers.find((w) => w.until > now && w.kind === finding.kind && w.rule === finding.rule && w.ref.toLowerCase() === finding.ref.toLowerCase());
    if (waiver) waived.push({ ...finding, waiver });
    else failing.push(finding);
  }
  return { failing, waived };
}

export type GateItem =
  | { readonly type: 'api'; readonly at: SourceLocation; readonly data: ApiData }
  | { readonly type: 'identity'; readonly at: SourceLocation; readonly data: IdentityData };

/** A gate field's check: what is missing, or null when the item has it. */
type Check<T> = (data: T) => string | null;

const present = <T>(get: (data: T) => unknown, problem: string): Check<T> => (data) => (get(data) === undefined ? problem : null);

/** The owner as the rule that one person cannot be their own backup reads it. */
const rolesOf = (owner: OwnerClaim | undefined) => ({ team: owner?.team ?? null, accountable: owner?.accountable ?? null, backup: owner?.backup ?? null, approver: owner?.approver ?? null });

// A backup who is the accountable person is nobody new for the ladder to reach: no backup at all.
const backup: Check<ApiData | IdentityData> = ({ owner }) => {
  if (owner?.backup === undefined) return 'no backup person';
  return backupIsAccountable(rolesOf(owner)) ? `${owner.backup} is both its accountable person and its backup; name another backup` : null;
};

const apiChecks: Record<ApiGateField, Check<ApiData>> = {
  owner_team: present((d) => d.owner?.team, 'no owning team'),
  accountable: present((d) => d.owner?.accountable, 'no accountable person'),
  backup,
  approver: present((d) => d.owner?.approver, 'no named approver'),
  purpose: present((d) => d.purpose, 'no business purpose'),
  data_sensitivity: present((d) => d.sensitivity, 'no data sensitivity'),
  exposure: present((d) => d.exposure, 'no exposure'),
  auth_method: present((d) => d.authMethod, 'no auth method'),
  revocation_path: present((d) => d.revocationPath, 'no revocation path'),
  lifecycle: present((d) => d.lifecycle, 'no lifecycle'),
};

const identityChecks: Record<IdentityGateField, Check<IdentityData>> = {
  owner_team: present((d) => d.owner?.team, 'no lifecycle owner team'),
  accountable: present((d) => d.owner?.accountable, 'no accountable person'),
  backup,
  approver: present((d) => d.owner?.approver, 'no named approver'),
  purpose: present((d) => d.purpose, 'no purpose'),
  scopes: present((d) => (d.scopes.length > 0 ? d.scopes : undefined), 'no scopes recorded'),
  expires: present((d) => d.expiresAt, 'no expiry'),
  recovery_procedure: present((d) => d.recoveryProcedure, 'no recovery procedure'),
};

/**
 * The release gate: every API and identity must have what the policy's `gate` section requires.
 * Returns one finding per missing field, in input order, so CI output reads like a linter's. Decommissioned
 * APIs and revoked or decommissioned credentials no longer need an owner to ship.
 */
export function checkRelease(items: Iterable<GateItem>, policy: Policy): GateFinding[] {
  const findings: GateFinding[] = [];
  for (const item of items) {
    if (item.type === 'api') {
      if (item.data.lifecycle === 'decommissioned') continue;
      for (const field of policy.gate.api) {
        const problem = apiChecks[field](item.data);
        if (problem !== null) findings.push({ at: item.at, ref: item.data.ref, problem, kind: 'api', rule: field });
      }
    } else {
      if (item.data.status === 'revoked' || item.data.status === 'decommissioned') continue;
      for (const field of policy.gate.identity) {
        const problem = identityChecks[field](item.data);
        if (problem !== null) findings.push({ at: item.at, ref: item.data.ref, problem, kind: 'identity', rule: field });
      }
    }
  }
  return findings;
}

/**
 * What the gate warns of whatever the policy requires, as import warns of it: an item whose accountable person is
 * also its backup. (Import judges the owner merged with the stored one; check has only the files.)
 */
export function checkWarnings(items: Iterable<GateItem>): Array<FindingData & { readonly at: SourceLocation }> {
  const warnings: Array<FindingData & { readonly at: SourceLocation }> = [];
  for (const item of items)
    if (backupIsAccountable(rolesOf(item.data.owner))) warnings.push({ at: item.at, ...backupIsAccountableWarning(item.type, item.data.ref, item.data.owner?.accountable ?? null) });
  return warnings;
}
