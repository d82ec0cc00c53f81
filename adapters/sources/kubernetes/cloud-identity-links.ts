import { nonBlank, type JsonObject } from '../json/json-values.js';

/**
 * Annotations that bind a Kubernetes service account to a cloud identity (FORMATS.md §5), and the ref of
 * that identity as the cloud's own importer names it, so the `acts_as` link resolves when both are imported.
 */
const cloudIdentityAnnotations: ReadonlyArray<readonly [annotation: string, ref: (value: string) => string]> = [
  ['eks.amazonaws.com/role-arn', (arn) => arn], // AWS IRSA
  ['iam.gke.io/gcp-service-account', (email) => email], // GKE Workload Identity: the gcp-keys ref
  ['azure.workload.identity/client-id', (clientId) => `azure/${clientId}`], // Azure Workload Identity
];

export interface CloudIdentityLink {
  readonly annotation: string;
  readonly link: { readonly relation: 'acts_as'; readonly kind: 'identity'; readonly ref: string };
}

export function cloudIdentityLinks(annotations: JsonObject): CloudIdentityLink[] {
  const links: CloudIdentityLink[] = [];
  for (const [annotation, ref] of cloudIdentityAnnotations) {
    const value = nonBlank(annotations[annotation]);
    if (value !== undefined) links.push({ annotation, link: { relation: 'acts_as', kind: 'identity', ref: ref(value.trim()) } });
  }
  return links;
}
