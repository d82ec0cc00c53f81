import { isAlias, isNode, visit, type Document, type Node } from 'yaml';

/** How many times aliases may be expanded per document: the `yaml` package's default, stated so it stays. */
export const maxAliasCount = 100;

/** A YAML document's value, or why it cannot be turned into one safely (and the offset to name, when known). */
export type YamlValue = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly offset: number | null; readonly message: string };

const aliasBomb = 'uses its aliases too often (an "alias bomb" would exhaust memory); refused';
const selfContaining = 'has an alias inside the anchor it names (a value that contains itself); refused';
const unresolved = 'has an alias that names no anchor before it';
const tooDeep = 'nests too deeply to be read';

/**
 * A parsed document's value, with hostile YAML refused as bad input instead of thrown: aliases expanded more
 * than `maxAliasCount` times (the "billion laughs"), an alias inside its own anchor (a value that contains
 * itself, which every later walk of the value would follow forever), and an alias with no anchor. The aliases
 * are checked first, so the one error `toJS` can still throw is the alias count.
 */
export function yamlValue(doc: Document.Parsed | Document): YamlValue {
  const anchors = new Map<string, Node>();
  const found: { problem?: { offset: number | null; message: string } } = {};
  // In document order, as the `yaml` package resolves an alias: to the last node before it with that anchor.
  visit(doc, {
    Node(_key, node, path) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        const offset = node.range?.[0] ?? null;
        if (target === undefined) found.problem = { offset, message: unresolved };
        else if (path.includes(target)) found.problem = { offset, message: selfContaining };
        if (found.problem !== undefined) return visit.BREAK;
      } else if (isNode(node) && node.anchor !== undefined) anchors.set(node.anchor, node);
      return undefined;
    },
  });
  if (found.problem !== undefined) return { ok: false, ...found.problem };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount }) };
  } catch (error) {
    if (error instanceof ReferenceError) return { ok: false, offset: null, message: aliasBomb };
    if (error instanceof RangeError) return { ok: false, offset: null, message: tooDeep };
    throw error;
  }
}
