import type { RawEntry } from './import-entry.js';

/**
 * The version of what `checkEntry` accepts and what it makes of an entry: the schemas, the cleaning, the secret
 * patterns, the time and email forms. Every fingerprint includes it, so when the checks change, entries stored under
 * the old ones no longer match and are checked again. Bump it with any change to those rules (a test pins the files
 * that hold them and says so).
 */
export const checkRulesVersion = 1;

/*
 * A 64-bit hash (two 32-bit lanes, multiplied per pair of characters and finished with MurmurHash3's avalanche) of a
 * walk over the entry's values, each framed by its type and length so that no two contents walk alike. Not a
 * cryptographic hash: a collision could only make the store keep an item as it was (nothing is written then), and a
 * walk feeding SHA-1 cost as much as the check it is meant to spare. Hot on million-row imports: no allocation, and
 * the lanes are module state (the walk is synchronous).
 */
let h1 = 0;
let h2 = 0;

function mix(c: number): void {
  h1 = Math.imul(h1 ^ c, 0x01000193);
  h2 = Math.imul(h2 ^ c, 0x5bd1e995);
}

function mixText(tag: number, text: string): void {
  mix(tag);
  mix(text.length);
  let i = 0;
  for (; i + 1 < text.length; i += 2) mix((text.charCodeAt(i) << 16) | text.charCodeAt(i + 1));
  if (i < text.length) mix(text.charCodeAt(i));
}

/** False when `value` holds something other than text, booleans, absence, arrays and plain objects. */
function mixValue(value: unknown): boolean {
  if (typeof value === 'string') mixText(1, value);
  else if (value === undefined) mix(2);
  else if (value === null) mix(3);
  else if (value === true) mix(4);
  else if (value === false) mix(5);
  else if (Array.isArray(value)) {
    mix(6);
    mix(value.length);
    for (let i = 0; i < value.length; i += 1) if (!mixValue(value[i])) return false;
  } else if (typeof value === 'object' && isPlainObject(value)) {
    const keys = Object.keys(value);
    mix(7);
    mix(keys.length);
    for (const key of keys) {
      mixText(8, key);
      if (!mixValue((value as Record<string, unknown>)[key])) return false;
    }
  } else return false; // numbers, dates and the like: such an entry is simply checked every time
  return true;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function start(): void {
  h1 = 0x811c9dc5;
  h2 = 0x9747b28c;
  mix(checkRulesVersion);
}

function fmix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const hex = (n: number) => n.toString(16).padStart(8, '0');

function digest(): string {
  return hex(fmix(h1)) + hex(fmix(h2 ^ h1));
}

// Importers share one labels object among the entries of a file; it is walked once.
const labelDigests = new WeakMap<object, string>();

function labelsDigest(labels: Readonly<Record<string, string>>): string | null {
  let known = labelDigests.get(labels);
  if (known === undefined) {
    start();
    if (!mixValue(labels)) return null;
    known = digest();
    labelDigests.set(labels, known);
  }
  return known;
}

/**
 * A fingerprint of everything `checkEntry` reads of an entry to accept it and to produce what it produces: its type,
 * source key, field names (a value's name decides whether high entropy makes it a secret), the fields it does not
 * keep (checked for secrets) and its data, under the current check rules. Where it came from (file, line) is not in
 * it: that only places a refusal. Two entries with one fingerprint are checked alike; null when the entry holds a
 * value the fingerprint does not cover.
 */
export function fingerprintEntry(entry: RawEntry): string | null {
  // The labels' digest first: it may walk them, which starts a hash of its own.
  const labels = entry.labels === undefined ? undefined : labelsDigest(entry.labels);
  if (labels === null) return null;
  start();
  mixText(9, entry.type);
  mixText(10, entry.sourceKey);
  if (labels === undefined) mix(11);
  else mixText(12, labels);
  if (!mixValue(entry.unmapped ?? null)) return null;
  if (!mixValue(entry.data)) return null;
  return digest();
}
