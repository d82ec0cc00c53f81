import type { ApiData, IdentityData } from '../inventory/import-entry.js';
import type { SourceLocation } from '../inventory/source-location.js';
import type { ApiGateField, IdentityGateField, Policy } from '../policy/policy.js';

export interface GateFinding {
  readonly at: SourceLocation;
  readonly ref: string;
  readonly problem: string;
}

export type GateItem =
  | { readonly type: 'api'; readonly at: SourceLocation; readonly data: ApiData }
  | { readonly type: 'identity'; readonly at: SourceLocation; readonly data: IdentityData };

const apiChecks: Record<ApiGateField, readonly [(d: ApiData) => unknown, string]> = {
  owner_team: [(d) => d.owner?.team, 'no owning team'],
  accountable: [(d) => d.owner?.accountable, 'no accountable person'],
  backup: [(d) => d.owner?.backup, 'no backup person'],
  approver: [(d) => d.owner?.approver, 'no named approver'],
  purpose: [(d) => d.purpose, 'no business purpose'],
  data_sensitivity: [(d) => d.sensitivity, 'no data sensitivity'],
  exposure: [(d) => d.exposure, 'no exposure'],
  auth_method: [(d) => d.authMethod, 'no auth method'],
  revocation_path: [(d) => d.revocationPath, 'no revocation path'],
  lifecycle: [(d) => d.lifecycle, 'no lifecycle'],
};

const identityChecks: Record<IdentityGateField, readonly [(d: IdentityData) => unknown, string]> = {
  owner_team: [(d) => d.owner?.team, 'no lifecycle owner team'],
  accountable: [(d) => d.owner?.accountable, 'no accountable person'],
  backup: [(d) => d.owner?.backup, 'no backup person'],
  approver: [(d) => d.owner?.approver, 'no named approver'],
  purpose: [(d) => d.purpose, 'no purpose'],
  scopes: [(d) => (d.scopes.length > 0 ? d.scopes : undefined), 'no scopes recorded'],
  expires: [(d) => d.expiresAt, 'no expiry'],
  recovery_procedure: [(d) => d.recoveryProcedure, 'no recovery procedure'],
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
        const [get, problem] = apiChecks[field];
        if (get(item.data) === undefined) findings.push({ at: item.at, ref: item.data.ref, problem });
      }
    } else {
      if (item.data.status === 'revoked' || item.data.status === 'decommissioned') continue;
      for (const field of policy.gate.identity) {
        const [get, problem] = identityChecks[field];
        if (get(item.data) === undefined) findings.push({ at: item.at, ref: item.data.ref, problem });
      }
    }
  }
  return findings;
}
