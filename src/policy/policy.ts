import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { IdentityKind } from '../model/vocabulary.js';

/*
 * Policy as code (DESIGN.md): one YAML or JSON file, validated here, with safe defaults for everything
 * left out. Objects are strict, so a misspelt key is refused by name instead of silently ignored.
 */

const days = z.number().int().positive();
const byIdentityKind = (defaults: Record<IdentityKind, number>) =>
  z.strictObject(Object.fromEntries(IdentityKind.options.map((kind) => [kind, days.default(defaults[kind])])) as Record<IdentityKind, z.ZodDefault<typeof days>>).prefault({});

export const apiGateFields = ['owner_team', 'accountable', 'backup', 'approver', 'purpose', 'data_sensitivity', 'exposure', 'auth_method', 'revocation_path', 'lifecycle'] as const;
export const identityGateFields = ['owner_team', 'accountable', 'backup', 'approver', 'purpose', 'scopes', 'expires', 'recovery_procedure'] as const;
export type ApiGateField = (typeof apiGateFields)[number];
export type IdentityGateField = (typeof identityGateFields)[number];

const escalationTarget = z.enum(['owner', 'backup', 'team_lead', 'team_channel', 'security_channel']);
type EscalationTarget = z.infer<typeof escalationTarget>;

/** An escalation ladder: its rungs, each a delay and whom it reaches (the attestations' and the approvals'). */
const ladder = (defaults: ReadonlyArray<{ afterDays: number; to: EscalationTarget }>) =>
  z
    .array(z.strictObject({ afterDays: days, to: escalationTarget }))
    .min(1)
    .default(defaults.map((rung) => ({ ...rung })));

// Refused here, naming the field, rather than when the scheduler first uses them days later.
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
const timeZone = z.string().min(1).refine(isTimeZone, 'is not an IANA time zone (e.g. Europe/Paris, UTC)');
// The digest's periods are computed by cron-parser (digest-period.ts): refused here if it cannot read one.
function isDigestCron(text: string): boolean {
  try {
    CronExpressionParser.parse(text);
    return true;
  } catch {
    return false;
  }
}
const cronFields = (text: string) => [5, 6].includes(text.trim().split(/\s+/).length);
const cronExpression = z.string().refine(cronFields, 'is not a cron expression (5 or 6 fields, e.g. "0 9 * * 1")');
const digestCron = z.string().refine((text) => cronFields(text) && isDigestCron(text), 'is not a cron expression (5 or 6 fields, e.g. "0 9 * * 1", Mondays 09:00)');

export const Policy = z.strictObject({
  version: z.literal(1).default(1),
  /** IANA time zone for schedules and the days in messages. */
  timezone: timeZone.default('UTC'),
  /** Where unowned items and top-level escalations go (a channel name or id). */
  securityChannel: z.string().min(1).nullable().default(null),
  /**
   * Steward's admins, by email: they bind any team's channel and the security channel on a platform that binds
   * channels (`here team <slug>`, `here security` in Teams). A team's lead binds their own team's channel.
   */
  admins: z.array(z.preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.email('is not an email address'))).default([]),
  attestation: z
    .strictObject({
      /** Days between attestations. An API takes the shorter of its sensitivity's and its exposure's cadence. */
      cadenceDays: z
        .strictObject({
          sensitivity: z
            .strictObject({ restricted: days.default(30), confidential: days.default(90), internal: days.default(180), public: days.default(365) })
            .prefault({}),
          exposure: z.strictObject({ public: days.default(30), partner: days.default(90), internal: days.default(180) }).prefault({}),
          identityKind: byIdentityKind({ service_account: 90, oauth_client: 90, api_key: 30, token: 30, certificate: 180, ssh_key: 90, workload_identity: 180 }),
          /** For an API with neither sensitivity nor exposure recorded. */
          unclassified: days.default(90),
        })
        .prefault({}),
      /** A new item (or one with a new owner) is first asked about within this many days; 0 asks at once. */
      firstWithinDays: z.number().int().nonnegative().default(7),
      responseWindowDays: days.default(7),
      reminderOffsetsDays: z.array(days).default([2, 5]),
      escalation: ladder([
        { afterDays: 7, to: 'backup' },
        { afterDays: 10, to: 'team_lead' },
        { afterDays: 12, to: 'team_channel' },
        { afterDays: 14, to: 'security_channel' },
      ]),
      /** Unanswered this long after it opened, an attestation expires and the item joins the security queue as overdue. */
      expireAfterDays: days.default(21),
      snoozeMaxDays: days.default(30),
      /** An identity with more scopes than `moreThan`, or a scope containing one of `patterns`, is asked about twice as often. */
      broadScopes: z
        .strictObject({ moreThan: days.default(10), patterns: z.array(z.string().min(1)).default(['*', 'admin', 'owner', 'full_access', 'root']) })
        .prefault({}),
    })
    .prefault({}),
  /** How the outbox delivers. */
  delivery: z
    .strictObject({
      /** A person with accounts on several chat platforms is written to on the first of these they have. */
      preferPlatforms: z.array(z.string().min(1)).default(['slack', 'teams']),
      /** How long a dispatcher holds a delivery it took: another process takes it over after this, if it died. */
      leaseSeconds: z.number().int().min(5).max(3600).default(60),
      /** Tries of a delivery that keeps failing for passing reasons (network, 5xx) before it is given up. */
      maxAttempts: z.number().int().min(1).max(100).default(8),
      /**
       * The least time between two deliveries on a platform, in milliseconds (Slack: 200, short of its burst limit;
       * a 429's Retry-After is honoured whatever this is).
       */
      paceMs: z.record(z.string().min(1), z.number().int().min(0).max(60_000)).default({ slack: 200 }),
    })
    .prefault({}),
  /** How often `serve` runs the tick (node-cron syntax; seconds optional). */
  tick: z.strictObject({ cron: cronExpression.default('* * * * *') }).prefault({}),
  credentials: z
    .strictObject({
      maxLifetimeDays: byIdentityKind({ service_account: 730, oauth_client: 365, api_key: 365, token: 90, certificate: 398, ssh_key: 365, workload_identity: 730 }),
      rotationDays: byIdentityKind({ service_account: 365, oauth_client: 180, api_key: 90, token: 30, certificate: 365, ssh_key: 180, workload_identity: 365 }),
      expiryWarningDays: z.array(days).default([30, 14, 7, 1]),
      staleAfterDaysUnused: days.default(90),
    })
    .prefault({}),
  approvals: z
    .strictObject({
      /** Who approves when an item names no approver. */
      defaultApprover: z.enum(['team_lead', 'none']).default('team_lead'),
      /** Items of these sensitivities need a second approver. */
      secondApproverFor: z.array(z.enum(['public', 'internal', 'confidential', 'restricted'])).default(['restricted']),
      /** APIs of these exposures need a second approver too. */
      secondApproverForExposure: z.array(z.enum(['internal', 'partner', 'public'])).default(['public']),
      /** A pending request's approvers are reminded after these days. */
      reminderOffsetsDays: z.array(days).default([2]),
      /**
       * Who hears of a request still pending: `owner` is its approvers, `backup` the item's backup, `team_lead` the
       * owning team's lead, the channels as for attestations. The security admins (`admins`) may decide a request
       * once it reaches the security channel.
       */
      escalation: ladder([
        { afterDays: 4, to: 'team_lead' },
        { afterDays: 7, to: 'security_channel' },
      ]),
      /** Undecided this long, a request expires: nothing changes, and the requester is told. */
      expireAfterDays: days.default(14),
      /** The longest an exception (a later due date, a waived gate rule) may last. */
      exceptionMaxDays: days.default(90),
    })
    .prefault({}),
  /** The security leads' digest: when (in `timezone`), where (before the security channel), and whether each team gets its own. */
  digest: z
    .strictObject({
      cron: digestCron.default('0 9 * * 1'),
      channel: z.string().min(1).nullable().default(null),
      /** Also post each owning team its own digest, in its channel. */
      teams: z.boolean().default(false),
    })
    .prefault({}),
  /** What `steward check` requires of every API and identity before a release. */
  gate: z
    .strictObject({
      api: z.array(z.enum(apiGateFields)).default(['owner_team', 'accountable', 'revocation_path']),
      identity: z.array(z.enum(identityGateFields)).default(['owner_team', 'accountable', 'purpose', 'expires']),
    })
    .prefault({}),
});
export type Policy = z.infer<typeof Policy>;

export const defaultPolicy: Policy = Policy.parse({});

export interface PolicyProblem {
  /** Dotted path of the field, e.g. `attestation.cadenceDays.sensitivity.restricted`. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

export type PolicyResult = { readonly ok: true; readonly policy: Policy } | { readonly ok: false; readonly problems: readonly PolicyProblem[] };

export function parsePolicy(input: unknown): PolicyResult {
  const parsed = Policy.safeParse(input ?? {});
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.flatMap((issue): PolicyProblem[] => {
      const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      // zod reports unknown keys together on the parent object; name each key itself, so each path is a real one.
      if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...path, key], message: 'is not a policy setting' }));
      return [{ path, message: issue.message }];
    }),
  };
}
