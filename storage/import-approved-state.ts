import { z } from 'zod';
import { mergeOwnerClaim, ownerAfterImport, type OwnerRoles, type OwnerRolesClaim } from '../src/inventory/merge-owner-claim.js';
import type { ApprovedStateDrift } from '../src/ports/store.js';
import { factColumns, type FactValues } from './item-facts.js';

/** An `approved_state` row: what an approved change set on an item, which imports must not silently undo. */
export interface ApprovedStateRow {
  readonly field: ApprovedStateDrift['field'];
  /** JSON: the scopes (a list), the owner (`{ team, accountable }`), or the retirement (`{ lifecycle }` or `{ status }`). */
  readonly value: string;
  readonly request_id: number;
}

export type KeptApproval = Omit<ApprovedStateDrift, 'kind' | 'ref'>;

/** What an import makes of one item that has approved state. */
export interface ApprovedStateOutcome {
  /** The facts to write: the source's, except the approved values it contradicts. */
  readonly facts: FactValues;
  /** The owner to leave: the source's, or, when it contradicts an approved transfer, the approved one. */
  readonly owner: OwnerRoles<number>;
  /** Approved values the source contradicts: kept, and reported as drift. */
  readonly kept: readonly KeptApproval[];
  /** Approved values the source now states: their rows go, and the source is authoritative for them again. */
  readonly agreed: ReadonlyArray<{ readonly field: ApprovedStateDrift['field']; readonly requestId: number }>;
}

export interface ApprovedStateInput {
  readonly kind: 'api' | 'identity';
  readonly rows: readonly ApprovedStateRow[];
  /** The facts as the source states them, in `factColumns` order. */
  readonly facts: FactValues;
  /** The item's scopes as stored (kept as they are when they hold the approved set in another order). */
  readonly storedScopes: string | null;
  readonly currentOwner: OwnerRoles<number>;
  readonly claimed: OwnerRolesClaim<number>;
  readonly isActive: (person: number) => boolean;
  /** An owner's team and accountable person in words, for the report. */
  readonly describeOwner: (team: number | null, accountable: number | null) => string;
}

const ScopesValue = z.array(z.string());
const OwnerValue = z.object({ team: z.number().int(), accountable: z.number().int().nullable() });
const RetiredValue = z.object({ lifecycle: z.string().optional(), status: z.string().optional() });

const scopesColumn = factColumns.indexOf('scopes');
const lifecycleColumn = factColumns.indexOf('lifecycle');
const statusColumn = factColumns.indexOf('status');
/** An identity revoked by its source is as retired as a decommissioned one: the source agrees. */
const retiredStatuses: ReadonlySet<string | null> = new Set(['decommissioned', 'revoked']);

function parsed<T>(schema: z.ZodType<T>, row: ApprovedStateRow): T {
  let json: unknown;
  try {
    json = JSON.parse(row.value);
  } catch (cause) {
    throw new Error(`approved_state ${row.field} of request #${row.request_id} is not JSON`, { cause });
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new Error(`approved_state ${row.field} of request #${row.request_id} is not a valid value`, { cause: result.error });
  return result.data;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((scope) => right.has(scope));
}

function scopeWords(scopes: readonly string[]): string {
  return scopes.length === 0 ? 'no scopes' : scopes.join(' ');
}

/**
 * The approved values an import keeps, and those its source now agrees with. A value is compared with what the
 * source states: scopes as a set; the owner by team and accountable person (a source silent about the owner neither
 * contradicts nor confirms it); a retirement by an API's lifecycle being decommissioned, or an identity's status
 * being decommissioned or revoked (an API source that states no lifecycle contradicts it: the import would clear it).
 *
 * A kept owner keeps the approved team and accountable person. Its backup and approver follow the source only when
 * the source names the approved team (the same team's people, who may have changed since); a source naming another
 * team names people of that team, which would not fit the approved one, so they stay as they are.
 */
export function applyApprovedState(input: ApprovedStateInput): ApprovedStateOutcome {
  const facts = [...input.facts];
  const kept: KeptApproval[] = [];
  const agreed: Array<{ field: ApprovedStateDrift['field']; requestId: number }> = [];
  let owner = ownerAfterImport(input.currentOwner, input.claimed, input.isActive);
  for (const row of input.rows) {
    const requestId = row.request_id;
    switch (row.field) {
      case 'scopes': {
        const approved = parsed(ScopesValue, row);
        const stated = parsed(ScopesValue, { ...row, value: facts[scopesColumn] ?? '[]' });
        if (sameSet(stated, approved)) agreed.push({ field: 'scopes', requestId });
        else {
          const stored = input.storedScopes === null ? null : parsed(ScopesValue, { ...row, value: input.storedScopes });
          facts[scopesColumn] = stored !== null && sameSet(stored, approved) ? input.storedScopes : JSON.stringify(approved);
          kept.push({ field: 'scopes', source: scopeWords(stated), approved: scopeWords(approved), requestId });
        }
        break;
      }
      case 'retired': {
        const approved = parsed(RetiredValue, row);
        const column = input.kind === 'api' ? lifecycleColumn : statusColumn;
        const label = input.kind === 'api' ? 'lifecycle' : 'status';
        const value = (input.kind === 'api' ? approved.lifecycle : approved.status) ?? 'decommissioned';
        const stated = facts[column] ?? null;
        if (input.kind === 'api' ? stated === 'decommissioned' : retiredStatuses.has(stated)) agreed.push({ field: 'retired', requestId });
        else {
          facts[column] = value;
          kept.push({ field: 'retired', source: stated === null ? `no ${label}` : `${label} ${stated}`, approved: `${label} ${value}`, requestId });
        }
        break;
      }
      case 'owner': {
        const approved = parsed(OwnerValue, row);
        const { claimed, currentOwner, isActive } = input;
        if (claimed.team === undefined && claimed.accountable === undefined) break;
        // A source naming only the approved team (a catalog owned by a group) neither confirms nor contradicts who is
        // accountable: the approved owner stays, and nothing is reported.
        if (claimed.accountable === undefined && claimed.team === approved.team) break;
        const says = mergeOwnerClaim(currentOwner, claimed);
        // Agreement is the source stating the approved owner itself: a team alone (the accountable person filled in
        // from the approved owner) says nothing of who is accountable, and must not hand the item back to the source.
        if (claimed.accountable !== undefined && says.team === approved.team && says.accountable === approved.accountable) {
          agreed.push({ field: 'owner', requestId });
          break;
        }
        const sameTeam = says.team === approved.team;
        owner = ownerAfterImport(
          currentOwner,
          {
            team: approved.team,
            accountable: approved.accountable ?? undefined,
            backup: sameTeam ? claimed.backup : undefined,
            approver: sameTeam ? claimed.approver : undefined,
          },
          isActive,
        );
        kept.push({
          field: 'owner',
          source: input.describeOwner(says.team, says.accountable),
          approved: input.describeOwner(approved.team, approved.accountable),
          requestId,
        });
        break;
      }
    }
  }
  return { facts, owner, kept, agreed };
}
