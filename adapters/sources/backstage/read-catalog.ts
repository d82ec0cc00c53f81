import path from 'node:path';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { InvalidEntry } from '../../../src/inventory/import-entry.js';
import type { SourceLocation } from '../../../src/inventory/source-location.js';
import { InputError } from '../../../src/errors.js';
import { cannotRead, describeRefusal, filesUnder, isFolder, maxCatalogFileBytes, readChecked, realFolder, type FileRead, type FileRefusal, type FileRules } from '../source-files.js';
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
  readonly severity: 'warning' | 'info';
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

export interface ReadCatalogOptions {
  /** Real paths of the folders the operator allows Locations to lead to besides the catalog's own (--allow-root). */
  readonly allowRoots?: readonly string[];
}

const catalogExtensions = ['.yaml', '.yml'];

/**
 * A document that is meant as an entity: it has the envelope's `apiVersion` or `kind` (and is then checked in
 * full, so a catalog file missing one of them is still refused). A file under a folder without one is no
 * catalog file: an OpenAPI document, a CI workflow.
 */
const looksLikeEntity = (doc: Document.Parsed) => isMap(doc.contents) && (doc.contents.has('apiVersion') || doc.contents.has('kind'));

/**
 * Reads Backstage catalog files: multi-document YAML, following `kind: Location` targets relative to the file
 * that names them (each file read once, so cycles end). Remote (`url`) targets cannot be followed offline and
 * missing files are notices, as the Backstage catalog itself reports them without failing the rest. A root may
 * be a folder: every .yaml/.yml file under it, in path order. Whatever a root leads to must stay inside its
 * folder (the folder given, or the folder of the file given) or a folder in `allowRoots`, be a regular file
 * and be at most `maxCatalogFileBytes`.
 */
export function readCatalog(roots: readonly string[], options: ReadCatalogOptions = {}): Catalog {
  const entities: CatalogEntity[] = [];
  const invalid: InvalidEntry[] = [];
  const notices: CatalogNotice[] = [];
  const seen = new Set<string>();
  const allowed = options.allowRoots ?? [];

  /** Reads a file's text by the rules, throwing for one that cannot be read at all. */
  const load = (file: string, rules: FileRules & { maxBytes: number }): FileRead<string> => {
    const read = readChecked(file, rules);
    if (!read.ok && read.refusal.code === 'unreadable') throw cannotRead(file, read.refusal);
    return read.ok ? { ok: true, value: read.value.toString('utf8') } : read;
  };

  const readFile = (file: string, root: string, tree: readonly string[], text: string, fromFolder: boolean): void => {
    seen.add(path.resolve(file));
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
    if (!Array.isArray(documents)) return; // an empty stream
    // A folder holds other YAML too (OpenAPI documents, CI workflows): a file with no entity is skipped, and said so.
    if (fromFolder && !documents.some((doc) => doc.errors.length > 0 || looksLikeEntity(doc))) {
      const message = `${file} holds no catalog entity (no document with apiVersion or kind): skipped`;
      notices.push({ at: { file }, root, severity: 'info', code: 'backstage_not_a_catalog_file', subject: file, message });
      return;
    }
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
          notices.push({ at: where, root, severity: 'info', code: 'backstage_remote_location', subject: target, message: `Location target ${target} is remote (type ${type}): not followed offline` });
          continue;
        }
        // Named as the file that names it is (relative stays relative, absolute stays absolute), so every
        // problem's file reads the way the user gave the catalog; an absolute target is read as written.
        const targetFile = path.isAbsolute(target) ? target : path.join(path.dirname(file), target);
        if (seen.has(path.resolve(targetFile))) continue;
        const read = load(targetFile, { within: tree, maxBytes: maxCatalogFileBytes });
        if (read.ok) {
          readFile(targetFile, root, tree, read.value, false);
          continue;
        }
        const field = index === null ? 'spec.target' : `spec.targets[${index}]`;
        const refusal = read.refusal;
        if (refusal.code === 'missing')
          notices.push({ at: where, root, severity: 'warning', code: 'backstage_missing_location', subject: target, message: `Location target ${target} does not exist` });
        else invalid.push({ type: 'invalid', at, problems: [{ at: where, field, message: targetRefusal(refusal, tree, allowed) }] });
      }
    });
  };

  for (const root of roots) {
    if (isFolder(root)) {
      const tree = [realFolder(root), ...allowed];
      const files = filesUnder(root, catalogExtensions);
      if (files.length === 0) throw new InputError(`${root}: no .yaml or .yml file under this folder`);
      for (const file of files) {
        if (seen.has(path.resolve(file))) continue;
        const read = load(file, { within: tree, maxBytes: maxCatalogFileBytes });
        if (!read.ok) throw cannotRead(file, read.refusal);
        readFile(file, root, tree, read.value, true);
      }
      continue;
    }
    if (seen.has(path.resolve(root))) continue;
    // The operator named this file: any file will do (a FIFO from `<(…)` too), within the size limit.
    const read = load(root, { pipes: true, maxBytes: maxCatalogFileBytes });
    if (!read.ok) throw cannotRead(root, read.refusal);
    readFile(root, root, [realFolder(path.dirname(root)), ...allowed], read.value, false);
  }
  return { entities, invalid, notices };
}

/** Why a Location target was not followed, in words that do not quote the target (the line and field point at it). */
function targetRefusal(refusal: FileRefusal, tree: readonly string[], allowed: readonly string[]): string {
  switch (refusal.code) {
    case 'outside':
      return `points outside the catalog's folder (${tree[0] ?? ''})${allowed.length > 0 ? ' and every --allow-root folder' : ''}; to read it, allow its folder with --allow-root DIR`;
    case 'folder':
      return 'is a folder; a Location target names a file';
    case 'special':
      return 'is not a regular file (a device, FIFO or socket); refused';
    case 'too_large':
      return `is larger than ${refusal.maxBytes / (1 << 20)} MiB (${refusal.size} bytes); refused`;
    default:
      return describeRefusal(refusal);
  }
}
