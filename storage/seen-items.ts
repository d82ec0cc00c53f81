/** Ids past this go to a set: a bitmap that large would be mostly empty (ids are allocated one after another). */
const bitmapLimit = 1 << 27;

/**
 * The items one import has seen, in any of its snapshots: those it wrote and those it kept unchanged. A bit per item
 * id, so a million items take 128 KiB however the file is laid out; an item of a source left unseen has vanished, and
 * one seen twice was listed twice.
 */
export class SeenItems {
  private bits = new Uint8Array(1 << 14);
  private readonly beyond = new Set<number>();

  has(id: number): boolean {
    if (id >= bitmapLimit) return this.beyond.has(id);
    const byte = id >>> 3;
    return byte < this.bits.length && ((this.bits[byte] ?? 0) & (1 << (id & 7))) !== 0;
  }

  add(id: number): void {
    if (id >= bitmapLimit) {
      this.beyond.add(id);
      return;
    }
    const byte = id >>> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[byte] = (this.bits[byte] ?? 0) | (1 << (id & 7));
  }
}
