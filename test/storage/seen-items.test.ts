import { describe, expect, it } from 'vitest';
import { SeenItems } from '../../storage/seen-items.js';

describe('SeenItems', () => {
  it('when ids are added, then exactly those are seen, however far apart', () => {
    const seen = new SeenItems();
    const ids = [1, 7, 8, 9, 1_000_003, 2 ** 27 + 5, 2 ** 40];
    for (const id of ids) seen.add(id);
    for (const id of ids) expect(seen.has(id)).toBe(true);
    for (const id of [0, 2, 6, 10, 1_000_002, 1_000_004, 2 ** 27 + 4, 2 ** 40 + 1]) expect(seen.has(id)).toBe(false);
  });

  it('when an id is added twice, then it is still seen once', () => {
    const seen = new SeenItems();
    seen.add(42);
    seen.add(42);
    expect(seen.has(42)).toBe(true);
    expect(seen.has(43)).toBe(false);
  });
});
