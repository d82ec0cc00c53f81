import { awsCredentialReport } from './aws/aws-credential-report.js';
import { backstage } from './backstage/backstage.js';
import { codeowners } from './codeowners/codeowners.js';
import { inventoryCsv } from './csv/inventory-csv.js';
import { gcpKeys } from './gcp/gcp-keys.js';
import { kubernetesServiceAccounts } from './kubernetes/kubernetes-service-accounts.js';
import type { SourceFormat } from './source-format.js';

/** Every import format, by the name `steward import <format>` takes. */
export const sourceFormats: ReadonlyMap<string, SourceFormat> = new Map(
  ([backstage, inventoryCsv, awsCredentialReport, codeowners, gcpKeys, kubernetesServiceAccounts] as SourceFormat[]).map((format) => [format.name, format]),
);
