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
 * the lanes are module state (the walk is synchronous), copied into locals for the length of a text.
 */
let h1 = 0;
let h2 = 0;

function mix(c: number): void {
  h1 = Math.imul(h1 ^ c, 0x01000193);
  h2 = Math.imul(h2 ^ c, 0x5bd1e995);
}

function mixText(tag: number, text: string): void {
  const length = text.length;
  let a = Math.imul(Math.imul(h1 ^ tag, 0x01000193) ^ length, 0x01000193);
  let b = Math.imul(Math.imul(h2 ^ tag, 0x5bd1e995) ^ length, 0x5bd1e995);
  let i = 0;
  for (; i + 1 < length; i += 2) {
    const c = (text.charCodeAt(i) << 16) | text.charCodeAt(i + 1);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  if (i < length) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  h1 = a;
  h2 = b;
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
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[i] as string;
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

/** A hex digit's character code. */
const hexCode = (digit: number) => (digit < 10 ? 48 + digit : 87 + digit);

/** The lanes as 16 hex digits, written as one string (no padding or concatenation of pieces). */
function digest(): string {
  const a = fmix(h1);
  const b = fmix(h2 ^ h1);
  return String.fromCharCode(
    hexCode(a >>> 28), hexCode((a >>> 24) & 15), hexCode((a >>> 20) & 15), hexCode((a >>> 16) & 15),
    hexCode((a >>> 12) & 15), hexCode((a >>> 8) & 15), hexCode((a >>> 4) & 15), hexCode(a & 15),
    hexCode(b >>> 28), hexCode((b >>> 24) & 15), hexCode((b >>> 20) & 15), hexCode((b >>> 16) & 15),
    hexCode((b >>> 12) & 15), hexCode((b >>> 8) & 15), hexCode((b >>> 4) & 15), hexCode(b & 15),
  );
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

// A record's columns repeat on every entry read under them (a file's header): they are walked once.
const columnDigests = new WeakMap<readonly string[], string>();

function columnsDigest(columns: readonly string[]): string {
  let known = columnDigests.get(columns);
  if (known === undefined) {
    start();
    mix(13);
    mix(columns.length);
    for (let i = 0; i < columns.length; i += 1) mixText(1, columns[i] as string);
    known = digest();
    columnDigests.set(columns, known);
  }
  return known;
}

/**
 * A fingerprint of an item entry by the record it is read from, for an importer that can name the entry before it
 * builds it (`PreparedItemEntry`): the reading that makes entries of such records (a name and a version, bumped
 * whenever what it makes of a record changes), the names of the record's columns, which of the record's entries this
 * is (`part`), and every field of the record, under the current check rules. The entry is a function of these alone,
 * so two entries with one fingerprint are checked alike, as with `fingerprintEntry`, whose walks it never shares
 * (its framing differs). It covers more than the entry reads (a field the entry does not keep changes it too): that
 * only has an unchanged entry checked again.
 */
export function fingerprintRecord(reading: string, columns: readonly string[], part: string, fields: readonly string[]): string {
  const header = columnsDigest(columns);
  start();
  mixText(14, reading);
  mixText(15, header);
  mixText(16, part);
  mix(17);
  mix(fields.length);
  for (let i = 0; i < fields.length; i += 1) mixText(1, fields[i] as string);
  return digest();
}
