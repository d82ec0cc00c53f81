import type { ApiData, IdentityData } from '../src/inventory/import-entry.js';

/** The facts an import may change, in one order shared by the insert, the update and the comparison. */
export const factColumns = [
  'ref', 'name', 'purpose',
  'sensitivity', 'exposure', 'auth_method', 'revocation_path', 'lifecycle', 'system', 'code_path',
  'identity_kind', 'provider', 'scopes', 'created_at', 'expires_at', 'last_rotated_at', 'last_used_at', 'last_used_service',
  'recovery_procedure', 'status',
] as const;
export type FactColumn = (typeof factColumns)[number];
export type FactValues = Array<string | null>;

export function apiFacts(data: ApiData): FactValues {
  return [
    data.ref, data.name, data.purpose ?? null,
    data.sensitivity ?? null, data.exposure ?? null, data.authMethod ?? null, data.revocationPath ?? null,
    data.lifecycle ?? null, data.system ?? null, data.codePath ?? null,
    null, null, '[]', null, null, null, null, null, null, null,
  ];
}

export function identityFacts(data: IdentityData): FactValues {
  return [
    data.ref, data.name, data.purpose ?? null,
    null, null, null, null, null, null, null,
    data.identityKind, data.provider, JSON.stringify(data.scopes), data.createdAt ?? null, data.expiresAt ?? null,
    data.lastRotatedAt ?? null, data.lastUsedAt ?? null, data.lastUsedService ?? null, data.recoveryProcedure ?? null, data.status,
  ];
}

/** The facts that differ from the stored ones, each as [before, after]; refs compare without case, as the column does. */
export function diffFacts(stored: Readonly<Record<FactColumn, string | null>>, facts: FactValues): Record<string, [string | null, string | null]> {
  const diff: Record<string, [string | null, string | null]> = {};
  factColumns.forEach((column, i) => {
    const next = facts[i] ?? null;
    const before = stored[column];
    const same = column === 'ref' ? before?.toLowerCase() === next?.toLowerCase() : before === next;
    if (!same) diff[column] = [before, next];
  });
  return diff;
}
