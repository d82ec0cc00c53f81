import { childPath } from './scan-json.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value when it is a string with something in it; sources write "" where they mean "not set". */
export function nonBlank(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The string leaves of the fields Steward does not keep, labelled by their path in the source, for the core's
 * secret check (a credential pasted into any field is refused, OWASP NHI2). Nested values are walked so a
 * secret under a field named `token` is checked under that name.
 */
export function unmappedFields(object: JsonObject, path: string, mapped: ReadonlySet<string>): Array<readonly [string, string]> {
  const fields: Array<readonly [string, string]> = [];
  const walk = (value: unknown, label: string): void => {
    if (typeof value === 'string') fields.push([label, value]);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, childPath(label, i)));
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(v, childPath(label, k));
  };
  for (const [key, value] of Object.entries(object)) if (!mapped.has(key)) walk(value, childPath(path, key));
  return fields;
}
