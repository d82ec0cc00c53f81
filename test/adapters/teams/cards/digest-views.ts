import type { DigestChart, DigestGroup, DigestView } from '../../../../src/digest/digest-view.js';
import type { OutgoingMessage, PlannedMessage } from '../../../../src/messages/outgoing-message.js';

/*
 * Digests as the core words them, built by hand so the Teams tests do not move with the core's wording: a weekly
 * digest with its changes, the first one (no changes), and one far too big for a card.
 */

export const headHash = '9f2c6a0d41b7e3c58a9d0f1e2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e';

/** Twelve weekly points, oldest first: coverage climbing, overdue falling. */
export function aChart(points = 12): DigestChart {
  return {
    title: `Coverage and overdue attestations, last ${points} digests`,
    points: Array.from({ length: points }, (_, i) => ({ label: `${i + 1} Nov`, coveragePercent: 70 + i * 2, overdue: 40 - i * 3 })),
    axis: { x: 'Digest', coverage: 'Coverage (%)', overdue: 'Overdue attestations' },
    altText: `Coverage went from 70% to ${70 + (points - 1) * 2}% and overdue attestations from 40 to ${40 - (points - 1) * 3} over the last ${points} digests.`,
  };
}

export const weeklyGroups: readonly DigestGroup[] = [
  {
    title: 'Coverage',
    rows: [
      { label: 'APIs with an operational owner', value: '1,204 of 1,310 (92%)', change: '+12', trend: 'better' },
      { label: '… and an active, named accountable person', value: '1,150 of 1,310 (88%)', change: '+2 points', trend: 'better' },
      { label: 'Identities with a lifecycle owner', value: '8,410 of 9,002 (93%)', change: '−3', trend: 'worse' },
    ],
  },
  {
    title: 'Attestations',
    rows: [
      { label: 'Answered on time since Mon 30 Nov', value: '312 of 340 (92%)', change: 'no change', trend: 'same' },
      { label: 'Overdue now', value: '7', change: '−5', trend: 'better' },
    ],
    notes: ['Overdue by team, worst first: payments 4, platform 2, identity 1'],
  },
  { title: 'Waiting for an owner', rows: [{ label: 'Items in the unowned queue', value: '3', change: '+1', trend: 'worse' }] },
  {
    title: 'Approvals, snoozes and exceptions',
    rows: [{ label: 'Pending approvals', value: '2', change: 'no change', trend: 'same' }],
    notes: ['Pending by age: under 2 days 1, 2–7 days 1, over 7 days 0', 'Exceptions ending first: ledger-api (owner-required waived) until Mon 14 Dec 2026'],
  },
];

export function aDigestView(extra: Partial<DigestView> = {}): DigestView {
  return { scope: 'security', period: 'Scheduled for Mon 7 Dec 2026, 09:00', groups: weeklyGroups, chart: aChart(), anchor: { events: 1204, headHash }, ...extra };
}

/** The first digest: nothing to compare with, so no changes, and one point on the chart. */
export function aFirstDigestView(): DigestView {
  return aDigestView({ groups: weeklyGroups.map((g) => ({ ...g, rows: g.rows.map(({ trend: _trend, ...row }) => ({ ...row, change: null })) })), chart: aChart(1) });
}

/** A digest far past a card: `groups` groups of forty figures and two hundred long notes, with markup in them. */
export function aHugeDigestView(groups = 8): DigestView {
  return aDigestView({
    groups: Array.from({ length: groups }, (_, g) => ({
      title: `Team *group* ${g + 1} ${'with a long title '.repeat(10)}`,
      rows: Array.from({ length: 40 }, (_, r) => ({ label: `Figure ${r + 1} of group ${g + 1}, ${'counted carefully '.repeat(8)}`, value: `${r * 37} of 9,999 (${r}%) ${'x'.repeat(150)}`, change: `+${r}`, trend: 'worse' as const })),
      notes: Array.from({ length: 200 }, (_, n) => `Note ${n + 1}: [team-${n}](https://evil.example) has _${n}_ overdue ${'and a long explanation '.repeat(15)}`),
    })),
  });
}

export function aDigestMessage(view: DigestView = aDigestView()): OutgoingMessage {
  return { kind: 'digest', title: 'Steward digest — Mon 7 Dec 2026', text: 'Since the digest of Mon 30 Nov 2026: 91% of the inventory has an active, named accountable person; 7 attestations are overdue and 3 items wait for an owner. Each figure shows its change.', sections: [], actions: [], digest: view };
}

/** The digest as the core queues it for the security channel. */
export function aPlannedDigest(view: DigestView = aDigestView(), key = 'digest:security:scheduled:2026-12-07T09:00:00.000Z'): PlannedMessage {
  return { dedupeKey: key, addressee: { kind: 'security_channel', channel: null }, message: aDigestMessage(view), subjects: [] };
}
