import type { InvalidEntry } from '../../../src/inventory/import-entry.js';
import type { SourceLocation } from '../../../src/inventory/source-location.js';
import { invalidEntry } from '../json/invalid-entry.js';

/** proto3 JSON omits a bool at its default, so `disabled` is there only when true; absent means enabled. */
export function statusFromDisabled(disabled: unknown, at: SourceLocation, label: string): 'active' | 'disabled' | InvalidEntry {
  if (disabled === undefined || disabled === false) return 'active';
  if (disabled === true) return 'disabled';
  return invalidEntry(at, label, 'must be true or false');
}

const resourceProject = /^projects\/([^/]+)\//;

/** The project a resource name (`projects/<project>/serviceAccounts/…`) belongs to. */
export function projectOfName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const project = resourceProject.exec(name)?.[1];
  // `-` is the REST wildcard for "any project", not a project.
  return project === '-' ? undefined : project;
}
