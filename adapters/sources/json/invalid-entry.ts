import type { InvalidEntry } from '../../../src/inventory/import-entry.js';
import type { SourceLocation } from '../../../src/inventory/source-location.js';

/** An entry an importer cannot even read, with the one reason why (never the value). */
export function invalidEntry(at: SourceLocation, field: string | null, message: string): InvalidEntry {
  return { type: 'invalid', at, problems: [{ at, field, message }] };
}
