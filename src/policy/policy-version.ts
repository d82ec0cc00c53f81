import { createHash } from 'node:crypto';
import type { Policy } from './policy.js';

/**
 * A short, stable name for a policy's content, recorded on every attestation so evidence says which rules it
 * ran under. Keys are sorted, so the same policy written in another order has the same version.
 */
export function policyVersion(policy: Policy): string {
  const canonical = JSON.stringify(policy, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}
