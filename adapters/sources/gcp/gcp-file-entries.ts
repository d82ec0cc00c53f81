import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { SourceLocation } from '../../../src/inventory/source-location.js';
import { invalidEntry } from '../json/invalid-entry.js';
import { isObject, nonBlank } from '../json/json-values.js';
import type { JsonFile } from '../json/read-json-file.js';
import { childPath } from '../json/scan-json.js';
import { gcpAccountEntry } from './gcp-account-entry.js';
import { gcpKeyEntries, parseKeyName } from './gcp-key-entries.js';
import { projectOfName } from './gcp-status.js';

/** An entry and the project it belongs to (undefined when the file does not say). */
export interface PlacedEntry {
  readonly project: string | undefined;
  readonly entry: RawEntry | InvalidEntry;
}

type ElementKind = 'account' | 'key' | 'unknown';
const noun: Record<Exclude<ElementKind, 'unknown'>, string> = { account: 'service account', key: 'service-account key' };

function kindOf(element: unknown): ElementKind {
  if (!isObject(element)) return 'unknown';
  if (typeof element.email === 'string') return 'account';
  if (typeof element.name === 'string' && element.name.includes('/keys/') && 'validAfterTime' in element) return 'key';
  return 'unknown';
}

function systemManagedFinding(at: SourceLocation, count: number, emails: ReadonlySet<string>): RawEntry {
  // gcloud lists the keys of one account per call, so this is normally that account's email.
  const subject = [...emails].sort().join(', ') || at.file;
  return {
    type: 'finding',
    at,
    sourceKey: `${subject}#system-managed-keys`,
    data: {
      severity: 'info',
      code: 'gcp_system_managed_keys',
      subject,
      message: `${count} system-managed key${count === 1 ? '' : 's'} of ${subject} not imported: Google holds and rotates them, so they cannot leak or go unrotated`,
    },
  };
}

/**
 * The entries of one gcloud JSON file: a bare array of ServiceAccount (`service-accounts list`) or of
 * ServiceAccountKey (`service-accounts keys list`), told apart by the objects themselves.
 * `requireProject` is false when the caller names the source, so nothing needs the project.
 */
export function gcpFileEntries(json: JsonFile, requireProject: boolean): PlacedEntry[] {
  const elements = json.value;
  if (!Array.isArray(elements)) {
    const message =
      'is not a JSON array: give the output of `gcloud iam service-accounts list --format=json` or `gcloud iam service-accounts keys list --format=json`';
    return [{ project: undefined, entry: invalidEntry(json.at(''), null, message) }];
  }
  const kinds = elements.map(kindOf);
  const first = kinds.findIndex((k) => k !== 'unknown');
  const fileKind = kinds[first];
  const placed: PlacedEntry[] = [];
  const systemManaged = { count: 0, emails: new Set<string>(), project: undefined as string | undefined, at: json.at('') };

  elements.forEach((element: unknown, i) => {
    const path = childPath('', i);
    const at = json.at(path);
    const kind = kinds[i];
    const project = isObject(element) ? (nonBlank(element.projectId) ?? projectOfName(element.name)) : undefined;
    const refuse = (field: string, message: string) => placed.push({ project, entry: invalidEntry(json.at(field), field, message) });
    if (!isObject(element) || kind === undefined || kind === 'unknown' || fileKind === undefined || fileKind === 'unknown') {
      refuse(path, 'is neither a service account (it has no `email`) nor a service-account key (no `name` with /keys/ and `validAfterTime`)');
    } else if (kind !== fileKind) {
      refuse(path, `is a ${noun[kind]}, but [${first}] is a ${noun[fileKind]}: give accounts and keys in separate files, as gcloud prints them`);
    } else if (requireProject && project === undefined) {
      const unknown = 'so the project (the source) is unknown; name the source instead';
      if (kind === 'account') refuse(childPath(path, 'projectId'), `is missing and \`name\` is not projects/<project>/…, ${unknown}`);
      else refuse(childPath(path, 'name'), `is not projects/<project>/serviceAccounts/<email>/keys/<key id>, ${unknown}`);
    } else if (kind === 'account') {
      placed.push({ project, entry: gcpAccountEntry(element, path, json) });
    } else if (element.keyType === 'SYSTEM_MANAGED') {
      // Google holds these keys and rotates them itself; they never leave Google, so there is nothing for an
      // owner to rotate or revoke. Counted, so the report still says they exist.
      if (systemManaged.count === 0) Object.assign(systemManaged, { project, at });
      systemManaged.count += 1;
      const email = parseKeyName(element.name)?.email;
      if (email !== undefined) systemManaged.emails.add(email);
    } else {
      // Anything but SYSTEM_MANAGED (including an unspecified type) may be a downloadable key: inventory it.
      for (const entry of gcpKeyEntries(element, path, json)) placed.push({ project, entry });
    }
  });
  if (systemManaged.count > 0)
    placed.push({ project: systemManaged.project, entry: systemManagedFinding(systemManaged.at, systemManaged.count, systemManaged.emails) });
  return placed;
}
