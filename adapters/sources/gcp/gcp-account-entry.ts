import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import { nonBlank, unmappedFields, type JsonObject } from '../json/json-values.js';
import { fieldLinesOf, type JsonFile } from '../json/read-json-file.js';
import { childPath } from '../json/scan-json.js';
import { statusFromDisabled } from './gcp-status.js';

// Read below; the rest (uniqueId, etag, oauth2ClientId, …) is only checked for secrets.
const mappedFields = new Set(['name', 'projectId', 'email', 'displayName', 'description', 'disabled']);

/** One ServiceAccount from `gcloud iam service-accounts list --format=json`, as a gcp service_account identity. */
export function gcpAccountEntry(account: JsonObject, path: string, json: JsonFile): RawEntry | InvalidEntry {
  const field = (key: string) => childPath(path, key);
  const status = statusFromDisabled(account.disabled, json.at(field('disabled')), field('disabled'));
  if (typeof status !== 'string') return status;
  const email = account.email;
  const displayName = nonBlank(account.displayName);
  const labels = {
    ref: field('email'),
    name: field(displayName === undefined ? 'email' : 'displayName'),
    purpose: field('description'),
    status: field('disabled'),
  };
  const unmapped = unmappedFields(account, path, mappedFields);
  return {
    type: 'identity',
    at: json.at(path),
    // `name` embeds the email, so a re-created account with the same email keeps its history through the ref.
    sourceKey: nonBlank(account.name) ?? nonBlank(account.uniqueId) ?? String(email),
    labels,
    fieldLines: fieldLinesOf(json, labels, unmapped),
    unmapped,
    data: {
      ref: email,
      name: displayName ?? email,
      purpose: account.description,
      identityKind: 'service_account',
      provider: 'gcp',
      status,
    },
  };
}
