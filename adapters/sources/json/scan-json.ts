/**
 * What a scan of JSON text found: the line each value starts on (for values down to the depth asked for),
 * or the offset where the text stops being JSON.
 */
export type JsonScan = { readonly ok: true; readonly lines: ReadonlyMap<string, number> } | { readonly ok: false; readonly offset: number };

class Stop {
  constructor(readonly offset: number) {}
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const hex4 = /^[0-9a-fA-F]{4}$/;

/** A value's path as error messages name it: `[3]`, `items[3]`, `items[3].metadata`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * Scans JSON text (RFC 8259). JSON.parse gives neither lines for values nor, on Node 20, a position for most
 * syntax errors, and its messages quote the input, which may hold a secret; this scan gives both without quoting.
 * In valid JSON a newline only occurs between tokens (strings must escape it), so lines are counted there.
 */
export function scanJson(text: string, maxDepth: number): JsonScan | null {
  let i = 0;
  let line = 1;
  const lines = new Map<string, number>();
  const fail = (): never => {
    throw new Stop(i);
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text[i];
      if (c === '\n') line += 1;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      i += 1;
    }
  };
  const expect = (c: string): void => {
    if (text[i] !== c) fail();
    i += 1;
  };
  const string = (): string => {
    const start = i;
    expect('"');
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c) || c < 0x20) fail();
      i += 1;
      if (c === 0x22) return text.slice(start, i);
      if (c !== 0x5c) continue;
      const escaped = text[i];
      if (escaped === 'u' && hex4.test(text.slice(i + 1, i + 5))) i += 5;
      else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) i += 1;
      else fail();
    }
  };
  const value = (path: string, depth: number): void => {
    skipSpace();
    if (depth <= maxDepth) lines.set(path, line);
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i += 1;
      skipSpace();
      if (text[i] === close) {
        i += 1;
        return;
      }
      for (let n = 0; ; n += 1) {
        let child = '';
        if (c === '{') {
          skipSpace();
          const key = string();
          if (depth < maxDepth) child = childPath(path, JSON.parse(key) as string);
          skipSpace();
          expect(':');
        } else if (depth < maxDepth) child = childPath(path, n);
        value(child, depth + 1);
        skipSpace();
        if (text[i] !== ',') break;
        i += 1;
      }
      expect(close);
    } else if (c === '"') string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      numberPattern.lastIndex = i;
      if (!numberPattern.test(text)) fail();
      i = numberPattern.lastIndex;
    } else {
      const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
      if (word === undefined) fail();
      else i += word.length;
    }
  };
  try {
    value('', 0);
    skipSpace();
    if (i < text.length) fail();
    return { ok: true, lines };
  } catch (error) {
    if (error instanceof Stop) return { ok: false, offset: error.offset };
    // Nesting deeper than the stack: JSON.parse copes, so the caller only loses the locations.
    if (error instanceof RangeError) return null;
    throw error;
  }
}
