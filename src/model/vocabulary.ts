import { z } from 'zod';

/** The closed vocabularies of DESIGN.md "The model". Each is a zod enum so importers and the policy share one definition. */
export const ItemKind = z.enum(['api', 'identity']);
export type ItemKind = z.infer<typeof ItemKind>;

export const Sensitivity = z.enum(['public', 'internal', 'confidential', 'restricted']);
export type Sensitivity = z.infer<typeof Sensitivity>;

export const Exposure = z.enum(['internal', 'partner', 'public']);
export type Exposure = z.infer<typeof Exposure>;

export const Lifecycle = z.enum(['experimental', 'production', 'deprecated', 'decommissioned']);
export type Lifecycle = z.infer<typeof Lifecycle>;

export const IdentityKind = z.enum([
  'service_account',
  'oauth_client',
  'api_key',
  'token',
  'certificate',
  'ssh_key',
  'workload_identity',
]);
export type IdentityKind = z.infer<typeof IdentityKind>;

export const IdentityStatus = z.enum(['active', 'disabled', 'revoked', 'decommissioned']);
export type IdentityStatus = z.infer<typeof IdentityStatus>;

/** How one item relates to another: an API depends on an API; an identity serves or calls an API, or acts as another identity. */
export const EdgeRelation = z.enum(['depends_on', 'serves', 'calls', 'acts_as']);
export type EdgeRelation = z.infer<typeof EdgeRelation>;
