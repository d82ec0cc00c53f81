import type { z } from 'zod';
import { detectSecret, secretKindDescriptions } from '../secrets/detect-secret.js';
import { entrySchemas, type CheckedEntry, type RawEntry, type ValidEntry } from './import-entry.js';
import type { Problem, SourceLocation } from './source-location.js';

function labelFor(entry: RawEntry, path: ReadonlyArray<PropertyKey>): string {
  const [head, ...rest] = path.map(String);
  if (head === undefined) return entry.type;
  const base = entry.labels?.[head] ?? head;
  return rest.length === 0 ? base : `${base}[${rest.join('.')}]`;
}

/** Every string in a value, with its path, so nested values (owner.accountable, scopes[3]) are checked too. */
function* stringsIn(value: unknown, path: PropertyKey[]): Generator<readonly [PropertyKey[], string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* stringsIn(v, [...path, i]);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) yield* stringsIn(v, [...path, k]);
}

/** The entry's location, narrowed to the field's own line when the importer knows it. */
function locate(entry: RawEntry, key: PropertyKey | undefined): SourceLocation {
  const line = entry.fieldLines?.[String(key)];
  return line === undefined ? entry.at : { ...entry.at, line };
}

function secretProblems(entry: RawEntry): Problem[] {
  const problems: Problem[] = [];
  const refuse = (at: SourceLocation, field: string, kind: ReturnType<typeof detectSecret>) => {
    if (kind !== null)
      problems.push({ at, field, message: `looks like ${secretKindDescriptions[kind]}; refused and not stored (value withheld)` });
  };
  for (const [path, value] of stringsIn(entry.data, [])) {
    const field = labelFor(entry, path);
    refuse(locate(entry, path[0]), field, detectSecret(field, value));
  }
  for (const [label, value] of entry.unmapped ?? []) refuse(locate(entry, label), label, detectSecret(label, value));
  return problems;
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
  const secrets = secretProblems(entry);
  const parsed = entrySchemas[entry.type].safeParse(entry.data);
  if (secrets.length > 0 || !parsed.success) {
    // A field holding a secret is reported once, as a secret, so its value is never echoed in another message.
    const secretFields = new Set(secrets.map((p) => p.field));
    const invalid = (parsed.error?.issues ?? [])
      .map((issue) => ({ at: locate(entry, issue.path[0]), field: labelFor(entry, issue.path), message: describeIssue(issue, valueAt(entry.data, issue.path)) }))
      .filter((problem) => !secretFields.has(problem.field));
    return { type: 'invalid', at: entry.at, problems: [...secrets, ...invalid] };
  }
  return { type: entry.type, at: entry.at, sourceKey: entry.sourceKey, data: parsed.data } as ValidEntry;
}
