import { createHash } from 'node:crypto';
import type { Policy } from './policy.js';

/** Objects' keys sorted, so the same policy written in another order is the same JSON. */
function sortedKeys(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
    : value;
}

/**
 * A short, stable name for a policy's content, recorded on every attestation so evidence says which rules it
 * ran under. Keys are sorted, so the same policy written in another order has the same version.
 */
export function policyVersion(policy: Policy): string {
  return createHash('sha256').update(JSON.stringify(policy, sortedKeys)).digest('hex').slice(0, 12);
}

/**
 * The policy's text as evidence shows it: the canonical JSON of the parsed policy with its defaults (what the rules
 * were, not how the file was written), pretty-printed. Anyone can check it against its version:
 * `sha256(JSON.stringify(JSON.parse(text)))`, first 12 hex digits.
 */
export function policyText(policy: Policy): string {
  return JSON.stringify(policy, sortedKeys, 2);
}
