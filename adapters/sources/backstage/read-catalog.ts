import fs from 'node:fs';
import path from 'node:path';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { InvalidEntry } from '../../../src/inventory/import-entry.js';
import type { SourceLocation } from '../../../src/inventory/source-location.js';
import { InputError } from '../../../src/errors.js';
import { yamlValue } from '../yaml-value.js';

/** One catalog entity as read from YAML, with a way to find the line of any of its fields. */
export interface CatalogEntity {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly at: SourceLocation;
  /** The root file (as given on the command line) whose Locations led here. */
  readonly root: string;
  /** The line a field is written on (its key's line, for a mapping), or undefined when it is absent. */
  lineOf(...keys: Array<string | number>): number | undefined;
}

/** Something worth saying about the catalog that does not stop the import: a missing Location target, say. */
export interface CatalogNotice {
  readonly at: SourceLocation;
  readonly root: string;
  readonly code: string;
  readonly subject: string;
  readonly message: string;
}

export interface Catalog {
  readonly entities: readonly CatalogEntity[];
  /** Documents that could not be read as entities; any of them stops an import. */
  readonly invalid: readonly InvalidEntry[];
  readonly notices: readonly CatalogNotice[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function locationTargets(spec: Record<string, unknown>): Array<{ target: unknown; index: number | null }> {
  const targets: Array<{ target: unknown; index: number | null }> = Array.isArray(spec.targets) ? spec.targets.map((target, index) => ({ target, index })) : [];
  if (spec.target !== undefined) targets.unshift({ target: spec.target, index: null });
  return targets;
}

/**
 * Reads Backstage catalog files: multi-document YAML, following `kind: Location` targets relative to the file
 * that names them (each file read once, so cycles end). Remote (`url`) targets cannot be followed offline and
 * missing files are notices, as the Backstage catalog itself reports them without failing the rest.
 */
export function readCatalog(roots: readonly string[]): Catalog {
  const entities: CatalogEntity[] = [];
  const invalid: InvalidEntry[] = [];
  const notices: CatalogNotice[] = [];
  const seen = new Set<string>();

  const readFile = (file: string, root: string): void => {
    const resolved = path.resolve(file);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    let text: string;
    try {
      text = fs.readFileSync(resolved, 'utf8');
    } catch (error) {
      throw new InputError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, [], { cause: error });
    }
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
    if (!Array.isArray(documents)) return; // an empty stream
    documents.forEach((doc: Document.Parsed, i) => {
      const document = i + 1;
      const startLine = lineCounter.linePos(doc.contents?.range[0] ?? 0).line;
      const at: SourceLocation = { file, line: startLine, document };
      if (doc.errors.length > 0) {
        // Without prettyErrors the parser gives offsets, not lines; its first message line never quotes the text.
        const problems = doc.errors.map((e) => ({ at: { file, line: lineCounter.linePos(e.pos[0]).line, document }, field: null, message: `YAML: ${e.message.split('\n')[0]}` }));
        invalid.push({ type: 'invalid', at: problems[0]?.at ?? at, problems });
        return;
      }
      const read = yamlValue(doc);
      if (!read.ok) {
        const line = read.offset === null ? startLine : lineCounter.linePos(read.offset).line;
        invalid.push({ type: 'invalid', at, problems: [{ at: { file, line, document }, field: null, message: `YAML: document ${document} ${read.message}` }] });
        return;
      }
      const value = read.value;
      if (value === null || value === undefined) return; // an empty document, e.g. after a trailing ---
      const lineAt = (node: unknown): number | undefined => (isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined);
      // Walks the path from the document's root; each step's line is its key's (a block value starts below it).
      const linesAlong = (keys: ReadonlyArray<string | number>): number[] => {
        const lines: number[] = [];
        let node: unknown = doc.contents;
        for (const key of keys) {
          if (isMap(node)) {
            const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(key));
            const line = pair === undefined ? undefined : (lineAt(pair.key) ?? lineAt(pair.value));
            if (pair === undefined || line === undefined) break;
            lines.push(line);
            node = pair.value;
          } else if (isSeq(node) && typeof key === 'number') {
            const line = lineAt(node.items[key]);
            if (line === undefined) break;
            lines.push(line);
            node = node.items[key];
          } else break;
        }
        return lines;
      };
      const lineOf = (...keys: Array<string | number>): number | undefined => {
        const lines = linesAlong(keys);
        return lines.length === keys.length ? lines[lines.length - 1] : undefined;
      };
      // A missing field is placed on the nearest line that is there: `metadata:` for a missing `metadata.name`.
      const problem = (field: string, message: string) =>
        invalid.push({ type: 'invalid', at, problems: [{ at: { file, line: linesAlong(field.split('.')).at(-1) ?? startLine, document }, field, message }] });
      if (!isRecord(value)) return problem('(document)', 'is not a catalog entity (expected a mapping)');
      if (typeof value.kind !== 'string' || value.kind === '') return problem('kind', 'is required');
      if (!isRecord(value.metadata)) return problem('metadata', 'is required');
      const metadata = value.metadata;
      if (typeof metadata.name !== 'string' || metadata.name === '') return problem('metadata.name', 'is required');
      const spec = isRecord(value.spec) ? value.spec : {};
      const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';
      const entity: CatalogEntity = { kind: value.kind, namespace, name: metadata.name, metadata, spec, at, root, lineOf };
      // Locations are entities too: their metadata is checked for secrets like any other's.
      entities.push(entity);
      if (value.kind.toLowerCase() !== 'location') return;
      const type = typeof spec.type === 'string' ? spec.type : 'file';
      for (const { target, index } of locationTargets(spec)) {
        const targetLine = (index === null ? lineOf('spec', 'target') : lineOf('spec', 'targets', index)) ?? startLine;
        const where = { file, line: targetLine, document };
        if (typeof target !== 'string' || target === '') {
          invalid.push({ type: 'invalid', at, problems: [{ at: where, field: 'spec.targets', message: 'a Location target must be a non-empty string' }] });
          continue;
        }
        if (type !== 'file' || /^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
          notices.push({ at: where, root, code: 'backstage_remote_location', subject: target, message: `Location target ${target} is remote (type ${type}): not followed offline` });
          continue;
        }
        if (!fs.existsSync(path.resolve(path.dirname(resolved), target))) {
          notices.push({ at: where, root, code: 'backstage_missing_location', subject: target, message: `Location target ${target} does not exist` });
          continue;
        }
        // Named as the file that names it is (relative stays relative, absolute stays absolute), so every
        // problem's file reads the way the user gave the catalog.
        readFile(path.join(path.dirname(file), target), root);
      }
    });
  };

  for (const root of roots) readFile(root, root);
  return { entities, invalid, notices };
}
