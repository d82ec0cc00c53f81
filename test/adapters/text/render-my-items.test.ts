import { describe, expect, it } from 'vitest';
import { renderMyItems } from '../../../adapters/text/render-my-items.js';
import type { MyItems, PendingAttestation } from '../../../src/queries/my-items.js';
import { aSummary } from '../../support/items.js';

const bare = (words: string) => words;

function aPending(ref: string, overrides: Partial<PendingAttestation> = {}): PendingAttestation {
  return {
    attestationId: 7,
    itemId: 3,
    kind: 'identity',
    ref,
    name: ref,
    facts: { purpose: 'Deploys checkout', scopes: ['deploy:write'], expiresAt: '2027-03-01T00:00:00.000Z', recoveryProcedure: null, lastUsedAt: null, linked: [] },
    openedAt: '2026-11-09T09:00:00.000Z',
    dueAt: '2026-11-16T09:00:00.000Z',
    asBackup: false,
    ...overrides,
  };
}

const nobody: MyItems = { person: { email: 'zed@acme.example', displayName: null }, pending: [], owned: [], backing: [] };

describe('renderMyItems', () => {
  it('when nothing waits and nothing is owned, then it says so in one answer', () => {
    expect(renderMyItems(nobody, { command: bare })).toBe(
      'zed@acme.example: 0 attestations waiting for your answer · 0 items you are accountable for · 0 items you back up.\nNothing waits for you, and Steward lists no item you are accountable for or back up.',
    );
  });

  it('when an attestation waits, then its facts are shown as the prompt shows them, with how to confirm them', () => {
    const text = renderMyItems({ ...nobody, pending: [aPending('ci-key', { asBackup: true })] }, { command: (words) => `/steward ${words}` });
    expect(text.split('\n').slice(1)).toEqual([
      '',
      'Waiting for your answer:',
      '  ci-key (identity) · due 2026-11-16 · you are the backup',
      '      Purpose    Deploys checkout',
      '      Scopes     deploy:write',
      '      Expires    2027-03-01',
      '      Recovery   not recorded',
      '      Last used  not recorded',
      '  Confirm the facts as shown with /steward attest <ref> [--note TEXT], or answer with the buttons of the message that asked.',
    ]);
  });

  it('when a group is longer than the limit, then the first are shown and the rest counted', () => {
    const pending = ['a', 'b', 'c'].map((ref) => aPending(ref));
    const owned = ['x', 'y', 'z'].map((ref) => aSummary(ref, { team: 'payments' }));
    const text = renderMyItems({ ...nobody, pending, owned }, { command: bare, limit: 2 });
    expect(text).toContain('  b (identity) · due 2026-11-16\n');
    expect(text).not.toContain('  c (identity)');
    expect(text).toContain('  … and 1 more (the soonest due are shown)');
    expect(text).toContain('You are accountable for:\n  x (API) · payments\n  y (API) · payments\n  … and 1 more (steward list --owner zed@acme.example lists them all)');
  });
});
