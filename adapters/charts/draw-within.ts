/** How long a digest's chart may take by default (one takes about 0.1 s): a digest then goes without it. */
export const chartTimeoutMs = 10_000;

/**
 * The chart, or a failure once `ms` have passed: a renderer that hangs must not hold a digest's delivery past its
 * lease (another dispatcher would post it again) nor the platform's outbox behind it. Both platforms draw through it.
 */
export function drawWithin(drawing: Promise<Uint8Array>, ms: number = chartTimeoutMs): Promise<Uint8Array> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no chart after ${ms} ms`)), ms);
  });
  return Promise.race([drawing, late]).finally(() => clearTimeout(timer));
}
