import type { Policy } from '../policy/policy.js';
import { policyText, policyVersion } from '../policy/policy-version.js';
import type { EvidenceStore } from '../ports/evidence-store.js';

/** The versions each store has kept already, so a busy server writes a policy's text once rather than on every answer. */
const kept = new WeakMap<object, Set<string>>();

/**
 * The policy's version, its text kept first: an attestation, a request or a tick records only the version, and
 * evidence must show the rules it names (DESIGN.md: each attestation and approval records the policy version it
 * started under). Kept before the change that records the version, in a transaction of its own: a text kept for a
 * change that then fails names rules nobody used, which is harmless; a version recorded without its text is not.
 */
export async function recordPolicyVersion(store: Pick<EvidenceStore, 'recordPolicyVersion'>, policy: Policy, at: string): Promise<string> {
  const version = policyVersion(policy);
  const versions = kept.get(store) ?? new Set<string>();
  if (!versions.has(version)) {
    await store.recordPolicyVersion(version, policyText(policy), at);
    versions.add(version);
    kept.set(store, versions);
  }
  return version;
}
