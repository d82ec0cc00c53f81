/**
 * A message no platform has taken this long after it was queued is stuck (no `serve` delivering it): `steward outbox
 * --stuck` lists it from then, and the digest counts it among the messages no platform could deliver.
 */
export const unroutedAfterMs = 10 * 60_000;
