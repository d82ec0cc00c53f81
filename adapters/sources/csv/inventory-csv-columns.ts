/**
 * The documented CSV column sets (README "Import formats"). Headers are matched without regard to case,
 * spaces or hyphens; columns may come in any order. A file whose header has a `kind` column holds machine
 * identities; any other holds APIs. List columns take values separated by spaces, commas or semicolons.
 */
export interface ColumnSet {
  readonly name: 'apis' | 'identities';
  /** Our field → the accepted column names, the first being the documented one. */
  readonly columns: Readonly<Record<string, readonly string[]>>;
  readonly required: readonly string[];
  readonly lists: ReadonlySet<string>;
}

const ownerColumns = {
  team: ['owner_team', 'team'],
  accountable: ['accountable', 'accountable_person', 'owner'],
  backup: ['backup', 'backup_person'],
  approver: ['approver'],
} as const;

export const apiColumns: ColumnSet = {
  name: 'apis',
  columns: {
    ref: ['ref'],
    name: ['name'],
    purpose: ['purpose', 'business_purpose'],
    sensitivity: ['data_sensitivity', 'sensitivity'],
    exposure: ['exposure'],
    authMethod: ['auth_method'],
    revocationPath: ['revocation_path'],
    lifecycle: ['lifecycle'],
    system: ['system'],
    codePath: ['code_path'],
    ...ownerColumns,
    dependsOn: ['depends_on'],
  },
  required: ['ref'],
  lists: new Set(['dependsOn']),
};

export const identityColumns: ColumnSet = {
  name: 'identities',
  columns: {
    ref: ['ref'],
    name: ['name'],
    identityKind: ['kind'],
    provider: ['provider'],
    purpose: ['purpose'],
    scopes: ['scopes'],
    createdAt: ['created_at', 'created'],
    expiresAt: ['expires_at', 'expires'],
    lastRotatedAt: ['last_rotated_at', 'last_rotated'],
    lastUsedAt: ['last_used_at', 'last_used'],
    lastUsedService: ['last_used_service'],
    recoveryProcedure: ['recovery_procedure', 'recovery'],
    status: ['status'],
    ...ownerColumns,
    serves: ['serves', 'apis'],
    calls: ['calls'],
  },
  required: ['ref', 'identityKind', 'provider'],
  lists: new Set(['scopes', 'serves', 'calls']),
};

export function normaliseHeader(column: string): string {
  return column.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/**
 * Columns (normalised) that only an identity file has, or only an API file: a header without `kind` but with
 * these is an identity file missing its `kind`, to be refused for that rather than read as APIs.
 */
export const identityMarkers: ReadonlySet<string> = new Set(['provider', 'scopes', 'expires_at', 'expires', 'last_rotated_at', 'last_rotated', 'last_used_at', 'last_used', 'last_used_service', 'recovery_procedure', 'serves', 'calls']);
export const apiMarkers: ReadonlySet<string> = new Set(['data_sensitivity', 'sensitivity', 'exposure', 'auth_method', 'revocation_path', 'lifecycle', 'code_path', 'depends_on']);
