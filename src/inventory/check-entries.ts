import type { z } from 'zod';
import { detectSecret, secretKindDescriptions } from '../secrets/detect-secret.js';
import { entrySchemas, type CheckedEntry, type RawEntry, type ValidEntry } from './import-entry.js';
import type { Problem, SourceLocation } from './source-location.js';
import { isWellFormedText, loneSurrogateMessage } from './well-formed-text.js';

type Path = ReadonlyArray<string | number>;

/** A field's name as its source calls it: `labels` may name a nested path (`owner.accountable`) or its head. */
function labelFor(entry: RawEntry, path: Path): string {
  if (path.length === 0) return entry.type;
  if (path.length === 1) {
    // The common case, without joining the path.
    const field = String(path[0]);
    return entry.labels?.[field] ?? field;
  }
  const exact = entry.labels?.[path.join('.')];
  if (exact !== undefined) return exact;
  const [head, ...rest] = path;
  const base = entry.labels?.[String(head)] ?? String(head);
  return rest.reduce<string>((label, part) => (typeof part === 'number' ? `${label}[${part}]` : `${label}.${part}`), base);
}

/**
 * The entry's location, narrowed to the field's own line when the importer knows it: the line of the nested
 * field itself (`owner.accountable`, which YAML annotations can place apart from `owner`), else its head's.
 */
function locate(entry: RawEntry, path: Path): SourceLocation {
  const lines = entry.fieldLines;
  if (lines === undefined || path.length === 0) return entry.at;
  const line = lines[path.join('.')] ?? lines[String(path[0])];
  return line === undefined ? entry.at : { ...entry.at, line };
}

function secretProblem(entry: RawEntry, path: Path, label: string, value: string, fieldName = label): Problem | null {
  const kind = detectSecret(fieldName, value);
  if (kind === null) return null;
  return { at: locate(entry, path), field: label, message: `looks like ${secretKindDescriptions[kind]}; refused and not stored (value withheld)` };
}

function notTextProblem(entry: RawEntry, path: Path, label: string): Problem {
  return { at: locate(entry, path), field: label, message: loneSurrogateMessage };
}

/**
 * One pass over an entry's data that trims strings, drops blank ones (a blank field is an absent field), and
 * refuses secrets and text that is not Unicode (a lone surrogate, which would be stored otherwise than it is
 * hashed). Hot on million-row imports, so it allocates only the cleaned copy.
 */
function clean(entry: RawEntry, value: unknown, path: Array<string | number>, secrets: Problem[]): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    if (!isWellFormedText(trimmed)) {
      secrets.push(notTextProblem(entry, path, labelFor(entry, path)));
      return trimmed;
    }
    // detectSecret answers short values without looking at the name, so the label is built only for long ones.
    if (trimmed.length >= 15) {
      const problem = secretProblem(entry, path, labelFor(entry, path), trimmed);
      if (problem) secrets.push(problem);
    }
    return trimmed;
  }
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i += 1) {
      path.push(i);
      const item = clean(entry, value[i], path, secrets);
      path.pop();
      if (item !== undefined) items.push(item);
    }
    return items;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      path.push(key);
      const field = clean(entry, (value as Record<string, unknown>)[key], path, secrets);
      path.pop();
      if (field !== undefined) object[key] = field;
    }
    return object;
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_value' && 'values' in issue) {
    const got = typeof input === 'string' ? ` (got "${input.length > 40 ? `${input.slice(0, 40)}…` : input}")` : '';
    return `must be one of ${issue.values.map(String).join(', ')}${got}`;
  }
  if (issue.code === 'invalid_type' && input === undefined) return 'is required';
  return issue.message;
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Checks one raw entry for secrets and against its schema. Returns the parsed entry, or every problem found;
 * a secret's value never reaches a message.
 */
export function checkEntry(entry: RawEntry): CheckedEntry {
  const secrets: Problem[] = [];
  const data = clean(entry, entry.data, [], secrets);
  for (const [label, value] of entry.unmapped ?? []) {
    const problem = isWellFormedText(value) ? secretProblem(entry, [label], label, value) : notTextProblem(entry, [label], label);
    if (problem) secrets.push(problem);
  }
  // A source key is an identifier whatever its field is called: only the token patterns apply to it. It is
  // usually made of a field already refused for a lone surrogate, which is then not said twice.
  const keyProblem = isWellFormedText(entry.sourceKey)
    ? secretProblem(entry, [], 'source key', entry.sourceKey, '')
    : secrets.some((p) => p.message === loneSurrogateMessage) ? null : notTextProblem(entry, [], 'source key');
  if (keyProblem) secrets.push(keyProblem);
  const parsed = entrySchemas[entry.type].safeParse(data);
  if (secrets.length > 0 || !parsed.success) {
    // A field holding a secret is reported once, as a secret, so its value is never echoed in another message.
    const secretFields = new Set(secrets.map((p) => p.field));
    const invalid = (parsed.error?.issues ?? [])
      .map((issue) => {
        const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
        return { at: locate(entry, path), field: labelFor(entry, path), message: describeIssue(issue, valueAt(data, path)) };
      })
      .filter((problem) => !secretFields.has(problem.field));
    return { type: 'invalid', at: entry.at, problems: [...secrets, ...invalid] };
  }
  return { type: entry.type, at: entry.at, sourceKey: entry.sourceKey, data: parsed.data } as ValidEntry;
}
