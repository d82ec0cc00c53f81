import type { DigestChart, DigestChartPoint } from '../../../../src/digest/digest-view.js';

/** The axes as the core names them. */
export const axis = { x: 'Digest', coverage: 'Coverage (%)', overdue: 'Overdue attestations' } as const;

/** A digest chart with these points (oldest first), titled and described as the core does. */
export function digestChart(points: readonly DigestChartPoint[], overrides: Partial<DigestChart> = {}): DigestChart {
  return {
    title: 'Coverage and overdue attestations, last 12 digests',
    points,
    axis,
    altText: `Coverage rose to ${points.at(-1)?.coveragePercent ?? 0}% and ${points.at(-1)?.overdue ?? 0} attestations are overdue.`,
    ...overrides,
  };
}

/** Twelve weekly digests: coverage climbing, overdue falling, with the third the worst. */
export const twelveWeeks: readonly DigestChartPoint[] = [
  ['21 Sep', 71.2, 38],
  ['28 Sep', 73.5, 35],
  ['5 Oct', 74, 41],
  ['12 Oct', 78.9, 30],
  ['19 Oct', 80.1, 27],
  ['26 Oct', 79.4, 29],
  ['2 Nov', 83.3, 22],
  ['9 Nov', 85, 18],
  ['16 Nov', 86.7, 19],
  ['23 Nov', 88.2, 12],
  ['30 Nov', 91.5, 9],
  ['7 Dec', 92.4, 7],
].map(([label, coveragePercent, overdue]) => ({ label: label as string, coveragePercent: coveragePercent as number, overdue: overdue as number }));

/** The first digest ever made: one point. */
export const firstDigest: readonly DigestChartPoint[] = [{ label: '7 Dec', coveragePercent: 64.5, overdue: 3 }];
