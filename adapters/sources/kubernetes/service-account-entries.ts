import { TeamSlug, type InvalidEntry, type RawEntry } from '../../../src/inventory/import-entry.js';
import { invalidEntry } from '../json/invalid-entry.js';
import { isObject, nonBlank, unmappedFields, type JsonObject } from '../json/json-values.js';
import { fieldLinesOf, type JsonFile } from '../json/read-json-file.js';
import { childPath } from '../json/scan-json.js';
import { cloudIdentityLinks } from './cloud-identity-links.js';

// Steward's documented annotations: set by the team that owns the workload, so they are authoritative.
const ownerAnnotations = {
  team: 'steward.dev/team',
  accountable: 'steward.dev/accountable',
  backup: 'steward.dev/backup',
  approver: 'steward.dev/approver',
} as const;
const purposeAnnotation = 'steward.dev/purpose';
const expiresAnnotation = 'steward.dev/expires';
const stewardAnnotations = [...Object.values(ownerAnnotations), purposeAnnotation, expiresAnnotation];

// Labels anyone can set for any reason: only a hint of the owning team, never an owner (FORMATS.md §10).
const teamLabels = ['team', 'app.kubernetes.io/part-of'];

function ownerClaim(annotations: JsonObject) {
  const claim = Object.fromEntries(Object.entries(ownerAnnotations).map(([role, key]) => [role, annotations[key]]));
  return Object.values(claim).some((v) => nonBlank(v) !== undefined) ? claim : undefined;
}

function teamHint(labels: JsonObject): { key: string; value: string } | undefined {
  for (const key of teamLabels) {
    const value = nonBlank(labels[key]);
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/**
 * One ServiceAccount from `kubectl get serviceaccounts -o json` as a workload_identity, with `acts_as` links
 * to the cloud identities it is bound to, its Steward annotations as the owner, and its team label as a
 * suggestion. Yields nothing for a namespace's `default` account that is bound to no cloud identity.
 * Its ref names the cluster: every cluster has a `kube-system/coredns`, and they are different identities.
 */
export function* serviceAccountEntries(account: JsonObject, path: string, json: JsonFile, cluster: string): Generator<RawEntry | InvalidEntry> {
  const at = json.at(path);
  const meta = childPath(path, 'metadata');
  const metadata = account.metadata;
  if (!isObject(metadata)) return yield invalidEntry(at, meta, 'is missing');
  const name = nonBlank(metadata.name);
  const namespace = nonBlank(metadata.namespace);
  if (name === undefined) return yield invalidEntry(json.at(childPath(meta, 'name')), childPath(meta, 'name'), 'is required');
  if (namespace === undefined) return yield invalidEntry(json.at(childPath(meta, 'namespace')), childPath(meta, 'namespace'), 'is required');

  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  const labels = isObject(metadata.labels) ? metadata.labels : {};
  const cloud = cloudIdentityLinks(annotations);
  // Every namespace has a `default` account that the platform creates; it is noise in an inventory unless it
  // was bound to a cloud identity, which makes it a real non-human identity someone must own.
  if (name === 'default' && cloud.length === 0) return;

  const ref = `k8s/${cluster}/${namespace}/${name}`;
  const annotationsPath = childPath(meta, 'annotations');
  const labelsPath = childPath(meta, 'labels');
  const owner = ownerClaim(annotations);
  const hint = nonBlank(annotations[ownerAnnotations.team]) === undefined ? teamHint(labels) : undefined;
  const entryLabels = {
    ref: childPath(meta, 'name'),
    name: childPath(meta, 'name'),
    createdAt: childPath(meta, 'creationTimestamp'),
    purpose: childPath(annotationsPath, purposeAnnotation),
    expiresAt: childPath(annotationsPath, expiresAnnotation),
    owner: annotationsPath,
    links: annotationsPath,
  };
  const unmapped = [
    ...unmappedFields(annotations, annotationsPath, new Set([...stewardAnnotations, ...cloud.map((c) => c.annotation)])),
    ...unmappedFields(labels, labelsPath, new Set(hint === undefined ? [] : [hint.key])),
  ];
  yield {
    type: 'identity',
    at,
    sourceKey: nonBlank(metadata.uid) ?? `${namespace}/${name}`,
    labels: entryLabels,
    fieldLines: fieldLinesOf(json, entryLabels, unmapped),
    unmapped,
    data: {
      ref,
      name: `${namespace}/${name}`,
      purpose: annotations[purposeAnnotation],
      owner,
      links: cloud.map((c) => c.link),
      identityKind: 'workload_identity',
      provider: 'kubernetes',
      createdAt: metadata.creationTimestamp,
      expiresAt: annotations[expiresAnnotation],
    },
  };

  if (hint !== undefined) {
    const label = childPath(labelsPath, hint.key);
    yield {
      type: 'suggestion',
      at: json.at(label),
      sourceKey: ref,
      labels: { owners: label, team: label, reason: label },
      data: {
        itemKind: 'identity',
        itemRef: ref,
        owners: [hint.value],
        // A hint must not stop an import: a value that is no team slug is kept as the owner text only.
        team: TeamSlug.safeParse(hint.value).success ? hint.value : undefined,
        reason: `kubernetes label ${hint.key}=${hint.value} on ${namespace}/${name}`,
      },
    };
  }

  const secrets = Array.isArray(account.secrets) ? account.secrets : [];
  if (secrets.length > 0) {
    const names = secrets.map((s: unknown) => (isObject(s) ? nonBlank(s.name) : undefined)).filter((n) => n !== undefined);
    yield {
      type: 'finding',
      at: json.at(childPath(path, 'secrets')),
      sourceKey: `${ref}#legacy-token-secret`,
      labels: { message: childPath(path, 'secrets') },
      data: {
        severity: 'info',
        code: 'k8s_legacy_token_secret',
        subject: ref,
        // The cluster version is not in the file; on clusters from 1.24 on, token Secrets are no longer made
        // for service accounts, so one listed here is a long-lived token someone created or left behind.
        message: `${namespace}/${name} references ${secrets.length} token Secret${secrets.length === 1 ? '' : 's'}${names.length > 0 ? ` (${names.join(', ')})` : ''}: a long-lived token (OWASP NHI7) unless the cluster is older than Kubernetes 1.24`,
      },
    };
  }
}
