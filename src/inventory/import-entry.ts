import { z } from 'zod';
import { EdgeRelation, Exposure, IdentityKind, IdentityStatus, ItemKind, Lifecycle, Sensitivity } from '../model/vocabulary.js';
import { normaliseIsoTime } from './iso-time.js';
import type { Problem, SourceLocation } from './source-location.js';

/*
 * What an importer hands to the core: entries in source order, each with where it came from.
 * Importers translate their format's field names to ours and leave checking to these schemas,
 * so every format refuses bad values the same way and names the field the way its source does.
 * `checkEntry` trims every string and drops blank ones before these schemas run, so here a blank
 * field is simply absent.
 */

const lower = (value: unknown): unknown => (typeof value === 'string' ? value.toLowerCase() : value);
const closed = <T extends z.ZodEnum>(schema: T) => z.preprocess(lower, schema);

const text = z.string().max(4000, 'is longer than 4,000 characters');
export const Ref = z.string().min(1, 'is empty').max(300, 'is longer than 300 characters').regex(/^\S+$/, 'must not contain spaces');
export const Email = z.preprocess(lower, z.email('is not an email address'));
export const TeamSlug = z.preprocess(
  lower,
  z.string().min(1, 'is empty').max(200).regex(/^[a-z0-9][a-z0-9._/-]*$/, 'must be a slug (letters, digits, ".", "_", "-", "/")'),
);

// Plain dates (YYYY-MM-DD) repeat across the rows of a large import: each distinct one is normalised once. Times, which
// rarely repeat, are not kept; nor are more than a few thousand dates.
const normalisedDates = new Map<string, string | null>();

function normalisedTime(value: string): string | null {
  if (value.length !== 10) return normaliseIsoTime(value);
  let normalised = normalisedDates.get(value);
  if (normalised === undefined) {
    normalised = normaliseIsoTime(value);
    if (normalisedDates.size >= 5_000) normalisedDates.clear();
    normalisedDates.set(value, normalised);
  }
  return normalised;
}

/** Any ISO 8601 date or date-time, normalised to UTC `toISOString()` form so stored times sort as text. */
export const IsoTime = z.string().transform((value, ctx) => {
  const normalised = normalisedTime(value);
  if (normalised === null) {
    ctx.addIssue({ code: 'custom', message: 'is not an ISO 8601 date or time (e.g. 2027-01-31 or 2027-01-31T09:00:00Z)' });
    return z.NEVER;
  }
  return normalised;
});

/** The owner a source states. A field left out means "the source does not say", not "nobody". */
export const OwnerClaim = z.object({
  team: TeamSlug.optional(),
  accountable: Email.optional(),
  backup: Email.optional(),
  approver: Email.optional(),
});
export type OwnerClaim = z.infer<typeof OwnerClaim>;

export const LinkClaim = z.object({ relation: EdgeRelation, kind: ItemKind, ref: Ref });
export type LinkClaim = z.infer<typeof LinkClaim>;

const itemCommon = {
  ref: Ref,
  name: text.min(1, 'is empty'),
  purpose: text.optional(),
  owner: OwnerClaim.optional(),
  links: z.array(LinkClaim).default([]),
};

export const ApiData = z.object({
  ...itemCommon,
  sensitivity: closed(Sensitivity).optional(),
  exposure: closed(Exposure).optional(),
  authMethod: text.optional(),
  revocationPath: text.optional(),
  lifecycle: closed(Lifecycle).optional(),
  system: text.optional(),
  codePath: text.optional(),
});
export type ApiData = z.infer<typeof ApiData>;

export const IdentityData = z.object({
  ...itemCommon,
  identityKind: closed(IdentityKind),
  provider: z.preprocess(lower, z.string().min(1, 'is empty').max(100)),
  scopes: z.array(z.string().min(1).max(500)).max(1000).default([]),
  createdAt: IsoTime.optional(),
  expiresAt: IsoTime.optional(),
  lastRotatedAt: IsoTime.optional(),
  lastUsedAt: IsoTime.optional(),
  lastUsedService: text.optional(),
  recoveryProcedure: text.optional(),
  status: closed(IdentityStatus).default('active'),
});
export type IdentityData = z.infer<typeof IdentityData>;

export const TeamData = z.object({
  slug: TeamSlug,
  name: text.optional(),
  parent: TeamSlug.optional(),
  lead: Email.optional(),
  channel: text.optional(),
  members: z.array(Email).default([]),
});
export type TeamData = z.infer<typeof TeamData>;

export const PersonData = z.object({
  email: Email,
  displayName: text.optional(),
  active: z.boolean().optional(),
  teams: z.array(TeamSlug).default([]),
});
export type PersonData = z.infer<typeof PersonData>;

/** A source's opinion of who should own an item, for sources that cannot assign owners (CODEOWNERS). */
export const SuggestionData = z.object({
  itemKind: ItemKind,
  itemRef: Ref,
  owners: z.array(z.string()),
  team: TeamSlug.optional(),
  reason: text,
});
export type SuggestionData = z.infer<typeof SuggestionData>;

export const FindingData = z.object({
  severity: z.enum(['warning', 'info']),
  code: z.string().min(1),
  subject: z.string().min(1),
  message: text,
});
export type FindingData = z.infer<typeof FindingData>;

export const entrySchemas = {
  team: TeamData,
  person: PersonData,
  api: ApiData,
  identity: IdentityData,
  suggestion: SuggestionData,
  finding: FindingData,
} as const;

export type EntryType = keyof typeof entrySchemas;
type DataOf<T extends EntryType> = z.infer<(typeof entrySchemas)[T]>;

interface RawEntryOf<T extends EntryType> {
  readonly type: T;
  readonly at: SourceLocation;
  /** Stable key of the record within its source (an ARN, a Backstage entity ref, a CSV ref); the upsert key. */
  readonly sourceKey: string;
  /** Our field names, in the importer's words (`data_sensitivity`, `metadata.annotations.steward.dev/exposure`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The line of each field, where the format knows it better than the entry's own line (YAML). */
  readonly fieldLines?: Readonly<Record<string, number>>;
  /** Fields the source had that Steward does not keep: checked for secrets all the same, then dropped. */
  readonly unmapped?: ReadonlyArray<readonly [label: string, value: string]>;
  readonly data: { readonly [K in keyof DataOf<T>]?: unknown };
}

/** An entry as an importer produces it: values not yet checked. */
export type RawEntry = { [T in EntryType]: RawEntryOf<T> }[EntryType];

interface ValidEntryOf<T extends EntryType> {
  readonly type: T;
  readonly at: SourceLocation;
  readonly sourceKey: string;
  readonly data: DataOf<T>;
}

/** An entry whose every field passed its schema and the secret check. */
export type ValidEntry = { [T in EntryType]: ValidEntryOf<T> }[EntryType];

/** An entry that was refused; it carries the reasons, never the values. */
export interface InvalidEntry {
  readonly type: 'invalid';
  readonly at: SourceLocation;
  readonly problems: readonly Problem[];
}

export type CheckedEntry = ValidEntry | InvalidEntry;

/**
 * An item entry not checked yet, with a fingerprint of everything its check reads (`fingerprintEntry`). A store
 * that finds the item as the same fingerprint left it (same source key and ref, still listed, its owner as that
 * import left it) may keep it without checking: the same content passed the same checks then. Otherwise it calls
 * `check`, which checks the entry as any other.
 */
export interface PendingItemEntry {
  readonly type: 'pending';
  readonly kind: 'api' | 'identity';
  readonly sourceKey: string;
  /** The ref as the item would hold it (trimmed), when the entry's ref is text. */
  readonly ref: string | undefined;
  readonly fingerprint: string;
  check(): CheckedEntry;
}
