import { approvalKinds, type ApprovalKind } from '../approvals/approval-request.js';
import { readKind } from '../approvals/request-input.js';
import { normaliseIsoTime } from '../inventory/iso-time.js';
import { ItemKind } from '../model/vocabulary.js';
import { didYouMean } from './did-you-mean.js';
import { hanging, helpWidth, twoColumns, wrapText } from './help-layout.js';
import { readOptions, type OptionValues } from './read-options.js';
import { secretRefusal, secretTyped, type FreeText } from './typed-secret.js';

/**
 * The one command grammar shared by the CLI, the console and chat (`/steward …` in Slack): each surface offers the
 * commands that make sense there, parsed the same way, so `who payments-api` means the same everywhere.
 */
export type Surface = 'cli' | 'console' | 'chat';

export type Command =
  | { readonly name: 'who'; readonly query: string; readonly json: boolean }
  | {
      readonly name: 'list';
      readonly unowned: boolean;
      readonly team?: string;
      readonly owner?: string;
      readonly kind?: ItemKind;
      readonly expiringDays?: number;
      readonly json: boolean;
    }
  | { readonly name: 'help'; readonly topic?: string }
  /** `allowRoots`: folders a catalog's Locations may lead to besides its own (`--allow-root`, repeatable). */
  | { readonly name: 'import'; readonly format: string; readonly paths: readonly string[]; readonly dryRun: boolean; readonly json: boolean; readonly source?: string; readonly allowRoots?: readonly string[] }
  | { readonly name: 'check'; readonly paths: readonly string[]; readonly format?: 'backstage' | 'csv'; readonly policy?: string; readonly json: boolean; readonly allowRoots?: readonly string[] }
  | { readonly name: 'serve' }
  | { readonly name: 'tick'; readonly at?: TickTime; readonly dryRun: boolean; readonly json: boolean }
  | { readonly name: 'mine' }
  | { readonly name: 'team'; readonly team: string }
  | { readonly name: 'unowned' }
  /** `as`: who answers (the CLI must say; the console defaults to the person it acts as; chat never takes it). */
  | { readonly name: 'attest'; readonly ref: string; readonly as?: string; readonly note?: string }
  | { readonly name: 'claim'; readonly ref: string; readonly team?: string }
  | { readonly name: 'history'; readonly ref: string; readonly json: boolean }
  /** `expectHead`: an earlier head (`<hash>` or `<events>:<hash>`, as a digest or `audit verify` printed it) the trail must still hold. */
  | { readonly name: 'audit'; readonly action: 'verify'; readonly json: boolean; readonly expectHead?: string }
  /** `print`: show it here and change nothing; otherwise it is stored and posted to the security channel. */
  | { readonly name: 'digest'; readonly at?: TickTime; readonly print: boolean; readonly json: boolean }
  /** `from` inclusive, `to` exclusive, both UTC ISO times (a date alone `--to` means through the end of that day). */
  | { readonly name: 'evidence'; readonly from: string; readonly to: string; readonly format: EvidenceFormat; readonly out?: string }
  | { readonly name: 'backup'; readonly file: string }
  | { readonly name: 'outbox'; readonly stuck: true; readonly json: boolean }
  /** Ask for a change an approver decides. The kind's own options: --scopes, --to (and --team), --until (and --rule). */
  | {
      readonly name: 'request';
      readonly kind: ApprovalKind;
      readonly ref: string;
      readonly scopes?: string;
      readonly to?: string;
      readonly team?: string;
      readonly until?: string;
      readonly rule?: string;
      readonly reason?: string;
      readonly as?: string;
      readonly json: boolean;
    }
  | { readonly name: 'approvals'; readonly pending: boolean; readonly ref?: string; readonly json: boolean }
  | { readonly name: 'decide'; readonly id: number; readonly decision: 'approve' | 'reject' | 'accept' | 'decline'; readonly reason?: string; readonly confirm?: string; readonly as?: string; readonly json: boolean }
  | { readonly name: 'delegate'; readonly end: boolean; readonly to?: string; readonly until?: string; readonly reason?: string; readonly for?: string; readonly as?: string }
  | { readonly name: 'as'; readonly email?: string }
  | { readonly name: 'inbox'; readonly all: boolean }
  | {
      readonly name: 'press';
      readonly number: number;
      readonly note?: string;
      readonly reason?: string;
      readonly owner?: string;
      readonly days?: number;
      readonly team?: string;
      readonly confirm?: string;
      /** `--set field=value`, in the order given. */
      readonly set: Readonly<Record<string, string>>;
    };

/**
 * When a tick runs: an ISO time (normalised to UTC), or whole days from now (`+7d` after, `-3d` before); the
 * command that runs it says which "now" (the CLI: the later of the clock and the database's latest record).
 */
export type TickTime = { readonly iso: string } | { readonly relativeDays: number };

export const evidenceFormats = ['csv', 'json', 'html'] as const;
export type EvidenceFormat = (typeof evidenceFormats)[number];

export type CommandName = Command['name'];

export type ParseResult =
  | { readonly ok: true; readonly command: Command }
  /** `looks_like_secret`: a word typed where a name, ref, time or address goes looks like a secret; it is never repeated. */
  | { readonly ok: false; readonly code: 'unknown_command' | 'bad_usage' | 'looks_like_secret'; readonly message: string; readonly usage?: string };

interface OptionSpec {
  readonly type: 'boolean' | 'string';
  readonly value?: string;
  readonly help: string;
  /** May be given several times (`--set a=1 --set b=2`). */
  readonly multiple?: boolean;
  /** Offered only on these surfaces (default: wherever the command is). */
  readonly surfaces?: readonly Surface[];
  /** Free text (a note, a reason): left to the answer rules' secret check, not refused as a query. */
  readonly freeText?: FreeText;
}

type Values = OptionValues;

interface CommandSpec {
  /** What is typed; `transfer` is a word of its own for `request ownership_transfer`. */
  readonly name: CommandName | 'transfer';
  readonly usage: string;
  readonly summary: string;
  readonly surfaces: readonly Surface[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Builds the command, or returns what is wrong with the words given. */
  build(values: Values, positionals: readonly string[]): Command | string;
}

const json: OptionSpec = { type: 'boolean', help: 'print data as JSON' };

const text = (value: Values[string]) => (typeof value === 'string' ? value : undefined);
const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+$/.test(value);

function parseTickTime(value: string): TickTime | string {
  const relative = /^([+-])(\d{1,4})d$/i.exec(value.trim());
  // `-0d` is now, not minus zero.
  if (relative) return { relativeDays: relative[1] === '-' ? 0 - Number(relative[2]) : Number(relative[2]) };
  const iso = normaliseIsoTime(value.trim());
  return iso === null ? `--at takes an ISO 8601 time (2027-01-05T09:00Z, 2027-01-05) or days from now (+7d, -3d), not "${value}"` : { iso };
}

/** `--set purpose="Nightly exports"` → { purpose: 'Nightly exports' }; a field given twice is a mistake worth naming. */
function parseSettings(values: readonly string[]): Record<string, string> | string {
  const settings: Record<string, string> = {};
  for (const setting of values) {
    const at = setting.indexOf('=');
    const field = at < 0 ? '' : setting.slice(0, at).trim();
    if (field === '') return `--set takes field=value, e.g. --set purpose="Nightly settlement exports" (got "${setting}")`;
    if (field in settings) return `--set ${field} is given twice`;
    settings[field] = setting.slice(at + 1);
  }
  return settings;
}

const allowRootOption: OptionSpec = {
  type: 'string',
  value: 'DIR',
  multiple: true,
  help: 'let catalog Locations also lead into this folder (repeatable); by default they stay in the catalog’s folder',
};
const allowRoots = (values: Values) => (Array.isArray(values['allow-root']) ? { allowRoots: values['allow-root'] } : {});

const asOption: OptionSpec = { type: 'string', value: 'EMAIL', help: 'who is answering (on the console: by default, the person you act as)' };
const noteOption: OptionSpec = { type: 'string', value: 'TEXT', help: 'a note kept with the answer', freeText: 'value' };

/** `attest`, its example as the surface types it. */
const buildAttest = (example: string) => (values: Values, positionals: readonly string[]): Command | string => {
  if (positionals.length !== 1) return positionals.length === 0 ? `say which item, e.g. \`${example}\`` : 'attest takes one item ref';
  const as = text(values.as);
  if (as !== undefined && !looksLikeEmail(as)) return `--as takes an email address, not "${as}"`;
  const note = text(values.note);
  return { name: 'attest', ref: positionals[0] as string, ...(as === undefined ? {} : { as }), ...(note === undefined ? {} : { note }) };
};

/** A chat command that takes no words: `mine`, `unowned`. */
function wordless(name: 'mine' | 'unowned', summary: string): CommandSpec {
  return {
    name,
    usage: name,
    summary,
    surfaces: ['console', 'chat'],
    options: {},
    build: (_values, positionals) => (positionals.length > 0 ? `${name} takes no words of its own (got "${positionals[0]}")` : { name }),
  };
}


const reasonOption: OptionSpec = { type: 'string', value: 'TEXT', help: 'why: the approver (or the requester) reads it', freeText: 'value' };
/** `--as`: the CLI must say who acts; the console acts as the person it plays unless told; chat only ever as the speaker. */
const actingAs: OptionSpec = { type: 'string', value: 'EMAIL', help: 'who is acting (on the console: by default, the person you act as)', surfaces: ['cli', 'console'] };

/** An email option's value, or what is wrong with it. */
function emailOption(values: Values, name: string): string | undefined | { error: string } {
  const value = text(values[name]);
  if (value === undefined) return undefined;
  return looksLikeEmail(value) ? value.toLowerCase() : { error: `--${name} takes an email address, not "${value}"` };
}

/** The options every approval command passes on as they were typed (the core checks them). */
function passOn(values: Values, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (typeof values[name] === 'string' ? [[name, values[name] as string]] : [])));
}

const kindList = approvalKinds.join('|');

function buildRequest(values: Values, positionals: readonly string[]): Command | string {
  const [kindWord, ref, ...extra] = positionals;
  if (kindWord === undefined || ref === undefined) return `say what and which item, e.g. \`request scope_change ci-deployer --scopes "read write" --reason "…"\` (kinds: ${approvalKinds.join(', ')})`;
  if (extra.length > 0) return `request takes a kind and one item ref (got "${extra[0]}" too); quote text with spaces`;
  const kind = readKind(kindWord);
  if (kind === null) return `${kindWord} is not a kind of request${didYouMean(kindWord, [...approvalKinds])}; kinds: ${approvalKinds.join(', ')}`;
  const to = emailOption(values, 'to');
  if (typeof to === 'object') return to.error;
  const as = emailOption(values, 'as');
  if (typeof as === 'object') return as.error;
  const needs: Partial<Record<ApprovalKind, [string, string]>> = {
    scope_change: ['scopes', '--scopes "read write"'],
    ownership_transfer: ['to', '--to ana@example.com'],
    exception: ['until', '--until 2027-03-31'],
  };
  const need = needs[kind];
  if (need !== undefined && values[need[0]] === undefined) return `a ${kind.replaceAll('_', ' ')} needs ${need[1]}`;
  const taken: Record<ApprovalKind, readonly string[]> = { scope_change: ['scopes'], ownership_transfer: ['to', 'team'], exception: ['until', 'rule'], rotation: [], decommission: [] };
  const stray = ['scopes', 'to', 'team', 'until', 'rule'].find((name) => values[name] !== undefined && !taken[kind].includes(name));
  if (stray !== undefined) return `--${stray} is not for a ${kind.replaceAll('_', ' ')}`;
  return {
    name: 'request',
    kind,
    ref,
    json: values.json === true,
    ...passOn(values, ['scopes', 'team', 'until', 'rule', 'reason']),
    ...(to === undefined ? {} : { to }),
    ...(as === undefined ? {} : { as }),
  };
}

const approvalSpecs: readonly CommandSpec[] = [
  {
    name: 'request',
    usage: `request <${kindList}> <ref> [--scopes S] [--to EMAIL] [--team T] [--until DATE] [--rule FIELD] [--reason TEXT] [--as EMAIL] [--json]`,
    summary: "ask for a change to an item; the item's approver decides it in the team's channel (a transfer: the proposed owner accepts)",
    surfaces: ['cli', 'console', 'chat'],
    options: {
      scopes: { type: 'string', value: 'S', help: 'scope_change: the scopes it should have, separated by spaces', freeText: 'value' },
      to: { type: 'string', value: 'EMAIL', help: 'ownership_transfer: who would take it' },
      team: { type: 'string', value: 'T', help: 'ownership_transfer: which of their teams will own it' },
      until: { type: 'string', value: 'DATE|+Nd', help: 'exception: when it ends (it always ends): a date, or days from now (+30d)' },
      rule: { type: 'string', value: 'FIELD', help: 'exception: the gate rule to waive (e.g. expires); without it, the next attestation is due at --until' },
      reason: reasonOption,
      as: actingAs,
      json,
    },
    build: buildRequest,
  },
  {
    name: 'transfer',
    usage: 'transfer <ref> --to EMAIL [--team T] [--reason TEXT] [--as EMAIL] [--json]',
    summary: 'offer an item to another owner: it changes hands when they accept (request ownership_transfer)',
    surfaces: ['cli', 'console', 'chat'],
    options: {
      to: { type: 'string', value: 'EMAIL', help: 'who would take it' },
      team: { type: 'string', value: 'T', help: 'which of their teams will own it' },
      reason: reasonOption,
      as: actingAs,
      json,
    },
    build: (values, positionals) => {
      if (positionals.length !== 1) return positionals.length === 0 ? 'say which item, e.g. `transfer ci-deployer --to ana@example.com`' : 'transfer takes one item ref';
      if (values.to === undefined) return 'say to whom: --to EMAIL';
      return buildRequest(values, ['ownership_transfer', positionals[0] as string]);
    },
  },
  {
    name: 'approvals',
    usage: 'approvals [--pending] [--item REF] [--json]',
    summary: 'requests and their decisions, newest first: who asked, who approves, what became of them',
    surfaces: ['cli', 'console', 'chat'],
    options: { pending: { type: 'boolean', help: 'only those waiting for a decision' }, item: { type: 'string', value: 'REF', help: "only one item's" }, json },
    build: (values, positionals) =>
      positionals.length > 0 ? `approvals takes no words of its own (got "${positionals[0]}")` : { name: 'approvals', pending: values.pending === true, json: values.json === true, ...(typeof values.item === 'string' ? { ref: values.item } : {}) },
  },
  {
    name: 'decide',
    usage: 'decide <id> <approve|reject|accept|decline> [--reason TEXT] [--confirm REF] [--as EMAIL] [--json]',
    summary: "decide a request as its approver (approve, reject), or a transfer offered to you (accept, decline); a decommission's approval needs --confirm with the item's ref",
    surfaces: ['cli', 'console', 'chat'],
    options: {
      reason: { ...reasonOption, help: 'why (needed to reject or decline)' },
      confirm: { type: 'string', value: 'REF', help: "the item's ref, typed to confirm approving a decommission" },
      as: actingAs,
      json,
    },
    build: (values, positionals) => {
      const [id, decision, ...extra] = positionals;
      const verbs = ['approve', 'reject', 'accept', 'decline'] as const;
      if (id === undefined || !/^#?\d+$/.test(id) || decision === undefined) return 'say which request and what you decide, e.g. `decide 12 approve` (approvals --pending lists them)';
      if (extra.length > 0) return `decide takes a request and a decision (got "${extra[0]}" too); quote text with spaces`;
      const verb = verbs.find((v) => v === decision.toLowerCase());
      if (verb === undefined) return `${decision} is not a decision${didYouMean(decision, verbs)}: approve, reject, accept or decline`;
      const as = emailOption(values, 'as');
      if (typeof as === 'object') return as.error;
      return { name: 'decide', id: Number(id.replace('#', '')), decision: verb, json: values.json === true, ...passOn(values, ['reason', 'confirm']), ...(as === undefined ? {} : { as }) };
    },
  },
  {
    name: 'delegate',
    usage: 'delegate --to EMAIL --until DATE [--reason TEXT] [--for EMAIL] [--as EMAIL] | delegate --end',
    summary: "out of office: your prompts, reminders and approvals go to someone else until a date (it ends by itself); --end ends it now",
    surfaces: ['cli', 'console', 'chat'],
    options: {
      to: { type: 'string', value: 'EMAIL', help: 'who stands in for you' },
      until: { type: 'string', value: 'DATE|+Nd', help: 'when it ends (at most 90 days): a date, or days from now (+14d)' },
      reason: { ...reasonOption, help: 'why (out of office, parental leave…)' },
      for: { type: 'string', value: 'EMAIL', help: "an admin: set it for someone who is away" },
      end: { type: 'boolean', help: 'end the delegation in force now' },
      as: actingAs,
    },
    build: (values, positionals) => {
      if (positionals.length > 0) return `delegate takes options only (got "${positionals[0]}"), e.g. \`delegate --to ana@example.com --until 2027-01-10\``;
      const emails: Record<string, string> = {};
      for (const name of ['to', 'for', 'as']) {
        const value = emailOption(values, name);
        if (typeof value === 'object') return value.error;
        if (value !== undefined) emails[name] = value;
      }
      if (values.end === true) return values.to !== undefined || values.until !== undefined ? '--end takes no --to or --until' : { name: 'delegate', end: true, ...emails };
      if (values.to === undefined || values.until === undefined) return 'say who stands in and until when: --to EMAIL --until DATE (or --end)';
      return { name: 'delegate', end: false, ...emails, ...passOn(values, ['until', 'reason']) };
    },
  },
];

const specs: readonly CommandSpec[] = [
  {
    name: 'who',
    usage: 'who <query> [--json]',
    summary: 'who owns an API or identity: by ref, name, or an unambiguous part of either (api:… or identity:… to pick a kind)',
    surfaces: ['cli', 'console', 'chat'],
    options: { json },
    build: (values, positionals) => {
      // A quoted empty or blank query (`who ""`) would match everything by prefix: treat it as no query.
      const query = positionals.join(' ').trim();
      return query === '' ? 'say what to look up, e.g. `who payments-api`' : { name: 'who', query, json: values.json === true };
    },
  },
  {
    name: 'list',
    usage: 'list [--unowned] [--team T] [--owner EMAIL] [--kind api|identity] [--expiring DAYS] [--json]',
    summary: 'list APIs and identities, filtered',
    // Not in chat: a whole inventory does not fit a Slack message. `team`, `unowned` and `mine` are its chat forms.
    surfaces: ['cli', 'console'],
    options: {
      unowned: { type: 'boolean', help: 'only items with no owning team, no accountable person, or one who has left' },
      team: { type: 'string', value: 'T', help: "only the team's items" },
      owner: { type: 'string', value: 'EMAIL', help: 'only items this person is accountable for or backs up' },
      kind: { type: 'string', value: 'api|identity', help: 'only APIs or only identities' },
      expiring: { type: 'string', value: 'DAYS', help: 'only credentials expiring within DAYS (or already expired)' },
      json,
    },
    build: (values, positionals) => {
      if (positionals.length > 0) return `list takes no words of its own (got "${positionals[0]}")`;
      const kind = values.kind === undefined ? undefined : ItemKind.safeParse(String(values.kind).toLowerCase());
      if (kind && !kind.success) return `--kind must be api or identity${didYouMean(String(values.kind), ItemKind.options)}`;
      let expiringDays: number | undefined;
      if (values.expiring !== undefined) {
        // Digits only: Number() would read '' as 0 and '1e2' or '0x10' as numbers nobody meant.
        if (!/^\d+$/.test(String(values.expiring))) return '--expiring takes a whole number of days';
        expiringDays = Number(values.expiring);
      }
      return {
        name: 'list',
        unowned: values.unowned === true,
        json: values.json === true,
        ...(typeof values.team === 'string' ? { team: values.team } : {}),
        ...(typeof values.owner === 'string' ? { owner: values.owner } : {}),
        ...(kind?.success ? { kind: kind.data } : {}),
        ...(expiringDays !== undefined ? { expiringDays } : {}),
      };
    },
  },
  wordless('mine', 'what waits for you: attestations to answer, items you are accountable for, items you back up'),
  {
    name: 'team',
    usage: 'team <team>',
    summary: "a team's APIs and identities, by its slug",
    surfaces: ['console', 'chat'],
    options: {},
    build: (_values, positionals) => {
      const team = positionals.join(' ').trim();
      if (team === '') return 'say which team, by its slug, e.g. `team payments`';
      return positionals.length === 1 ? { name: 'team', team: team.replace(/^#/, '').toLowerCase() } : 'team takes one team slug, e.g. `team payments`';
    },
  },
  wordless('unowned', 'items that need an owner: no owning team, no accountable person, or one who has left'),
  {
    name: 'import',
    usage: 'import <format> <paths…> [--dry-run] [--source NAME] [--allow-root DIR] [--json]',
    summary: 'import an inventory snapshot (formats: backstage, csv, aws-credential-report, gcp-keys, kubernetes, codeowners)',
    surfaces: ['cli', 'console'],
    options: {
      'dry-run': { type: 'boolean', help: 'check and count, change nothing' },
      source: { type: 'string', value: 'NAME', help: 'name the source (for several catalogs or clusters of one format)' },
      'allow-root': allowRootOption,
      json,
    },
    build: (values, [format, ...paths]) =>
      format === undefined || paths.length === 0
        ? 'give a format and at least one file, e.g. `import backstage catalog-info.yaml`'
        : {
            name: 'import',
            format,
            paths,
            dryRun: values['dry-run'] === true,
            json: values.json === true,
            ...(typeof values.source === 'string' ? { source: values.source } : {}),
            ...allowRoots(values),
          },
  },
  {
    name: 'check',
    usage: 'check <paths…> [--format backstage|csv] [--policy FILE] [--allow-root DIR] [--json]',
    summary: 'the release gate: exit 1 listing every API or identity that lacks what the policy requires',
    surfaces: ['cli', 'console'],
    options: {
      format: { type: 'string', value: 'backstage|csv', help: 'the files’ format (default: by extension)' },
      policy: { type: 'string', value: 'FILE', help: 'the policy file whose `gate` section says what is required' },
      'allow-root': allowRootOption,
      json,
    },
    build: (values, paths) => {
      if (paths.length === 0) return 'give at least one catalog file, e.g. `check catalog-info.yaml`';
      const format = values.format;
      if (format !== undefined && format !== 'backstage' && format !== 'csv') return `--format must be backstage or csv${didYouMean(String(format), ['backstage', 'csv'])}`;
      return {
        name: 'check',
        paths,
        json: values.json === true,
        ...(format !== undefined ? { format } : {}),
        ...(typeof values.policy === 'string' ? { policy: values.policy } : {}),
        ...allowRoots(values),
      };
    },
  },
  {
    name: 'tick',
    usage: 'tick [--at ISO|+Nd|-Nd] [--dry-run] [--json]',
    summary: 'run the scheduler once: open due attestations, remind, escalate, expire, warn of expiring credentials, queue unowned items',
    surfaces: ['cli', 'console'],
    options: {
      at: {
        type: 'string',
        value: 'ISO|+Nd|-Nd',
        help: 'tick as of this time (2027-01-05T09:00Z), or so many days after (+7d) or before (-3d) now; never before the last tick. On the console the clock moves there',
      },
      'dry-run': { type: 'boolean', help: 'decide and report, change nothing' },
      json: { type: 'boolean', help: 'print each decision as one JSON line' },
    },
    build: (values, positionals) => {
      if (positionals.length > 0) return `tick takes no words of its own (got "${positionals[0]}"); for a time, use --at`;
      const at = text(values.at) === undefined ? undefined : parseTickTime(text(values.at) as string);
      if (typeof at === 'string') return at;
      return { name: 'tick', dryRun: values['dry-run'] === true, json: values.json === true, ...(at ? { at } : {}) };
    },
  },
  {
    name: 'attest',
    usage: 'attest <ref> --as EMAIL [--note TEXT]',
    summary: "confirm an item's open attestation, the facts as shown, as its accountable person or backup",
    surfaces: ['cli'],
    options: { as: asOption, note: noteOption },
    build: buildAttest('attest payments-api --as alice@example.com'),
  },
  {
    name: 'attest',
    usage: 'attest <ref> [--note TEXT]',
    summary: "confirm an item's open attestation, the facts as shown, as yourself (its accountable person or backup)",
    surfaces: ['console', 'chat'],
    // On the console you play everyone: --as answers as someone else without switching. Chat answers only as you.
    options: { as: { ...asOption, surfaces: ['console'] }, note: noteOption },
    build: buildAttest('attest payments-api'),
  },
  {
    name: 'claim',
    usage: 'claim <ref> [--team SLUG]',
    summary: 'take an item that waits for an owner: you become accountable, for your team (or the one you name)',
    surfaces: ['console', 'chat'],
    options: { team: { type: 'string', value: 'SLUG', help: 'which of your teams will own it (when you are in several)' } },
    build: (values, positionals) => {
      if (positionals.length !== 1) return positionals.length === 0 ? 'say which item, e.g. `claim payments-api`' : 'claim takes one item ref';
      const team = text(values.team);
      return { name: 'claim', ref: positionals[0] as string, ...(team === undefined ? {} : { team }) };
    },
  },
  {
    name: 'history',
    usage: 'history <ref> [--json]',
    summary: "an item's audit trail: changes, prompts, reminders, escalations, warnings, answers and refusals",
    surfaces: ['cli', 'console'],
    options: { json },
    build: (values, positionals) =>
      positionals.length !== 1 ? 'say which item, e.g. `history payments-api` (api: or identity: picks a kind)' : { name: 'history', ref: positionals[0] as string, json: values.json === true },
  },
  {
    name: 'audit',
    usage: 'audit verify [--expect-head HEAD] [--json]',
    summary: 'check that the audit trail is intact: every event chained to the one before by its hash, and its head',
    surfaces: ['cli', 'console'],
    options: {
      'expect-head': {
        type: 'string',
        value: 'HEAD',
        help: 'a head kept earlier (events:hash, as a digest or audit verify printed it): fails if events were removed since',
      },
      json,
    },
    build: (values, positionals) => {
      if (!(positionals.length === 1 && positionals[0] === 'verify'))
        return `the audit command is \`audit verify\`${positionals.length === 1 ? didYouMean(positionals[0] ?? '', ['verify']) : ''}`;
      const expectHead = text(values['expect-head']);
      if (expectHead !== undefined && !/^(?:\d+:)?[0-9a-f]{64}$/i.test(expectHead.trim()))
        return `--expect-head takes the head a digest or \`audit verify\` printed (events:hash, e.g. 1204:9f2c…), not "${expectHead}"`;
      return { name: 'audit', action: 'verify', json: values.json === true, ...(expectHead === undefined ? {} : { expectHead: expectHead.trim().toLowerCase() }) };
    },
  },
  {
    name: 'digest',
    usage: 'digest [--at ISO|+Nd] [--print] [--json]',
    summary: "the security leads' digest now: coverage, overdue by team, the unowned queue, expiring credentials, pending approvals, each with its change",
    surfaces: ['cli', 'console'],
    options: {
      at: { type: 'string', value: 'ISO|+Nd', help: 'as of this time (2027-01-05T09:00Z) or so many days from now (+7d)' },
      print: { type: 'boolean', help: 'show it here only: nothing is stored or posted' },
      json: { type: 'boolean', help: 'print the figures as JSON' },
    },
    build: (values, positionals) => {
      if (positionals.length > 0) return `digest takes no words of its own (got "${positionals[0]}")`;
      const at = text(values.at) === undefined ? undefined : parseTickTime(text(values.at) as string);
      if (typeof at === 'string') return at;
      return { name: 'digest', print: values.print === true, json: values.json === true, ...(at ? { at } : {}) };
    },
  },
  {
    name: 'evidence',
    usage: 'evidence --from DATE --to DATE [--format csv|json|html] [--out FILE]',
    summary: 'every attestation, approval, exception, transfer and claim in a period, with the controls each evidences',
    surfaces: ['cli'],
    options: {
      from: { type: 'string', value: 'DATE', help: 'the first day (2026-01-01) or time, UTC' },
      to: { type: 'string', value: 'DATE', help: 'the last day, included (2026-12-31), or a time, excluded; UTC' },
      format: { type: 'string', value: 'csv|json|html', help: 'csv (the default), json (one object), or html (one file that opens offline)' },
      out: { type: 'string', value: 'FILE', help: 'write it here (default: standard output)' },
    },
    build: (values, positionals) => {
      if (positionals.length > 0) return `evidence takes no words of its own (got "${positionals[0]}")`;
      const [fromText, toText] = [text(values.from), text(values.to)];
      if (fromText === undefined || toText === undefined) return 'say which period, e.g. `evidence --from 2026-01-01 --to 2026-12-31`';
      const from = normaliseIsoTime(fromText.trim());
      if (from === null) return `--from takes a date (2026-01-01) or an ISO time, not "${fromText}"`;
      const toStart = normaliseIsoTime(toText.trim());
      if (toStart === null) return `--to takes a date (2026-12-31) or an ISO time, not "${toText}"`;
      // A date alone is the whole day: through its end.
      const to = /^\d{4}-\d{2}-\d{2}$/.test(toText.trim()) ? new Date(Date.parse(toStart) + 86_400_000).toISOString() : toStart;
      if (to <= from) return `--to (${toText}) is not after --from (${fromText})`;
      const format = text(values.format) ?? 'csv';
      if (!(evidenceFormats as readonly string[]).includes(format)) return `--format is csv, json or html, not "${format}"${didYouMean(format, evidenceFormats)}`;
      const out = text(values.out);
      return { name: 'evidence', from, to, format: format as EvidenceFormat, ...(out === undefined ? {} : { out }) };
    },
  },
  {
    name: 'backup',
    usage: 'backup <file>',
    summary: 'copy the database to a file with SQLite online backup, safe while serve runs, and verify the copy',
    surfaces: ['cli'],
    options: {},
    build: (_values, positionals) => (positionals.length === 1 ? { name: 'backup', file: positionals[0] as string } : 'say where to write the copy, e.g. `backup backups/steward-2026-12-07.db`'),
  },
  {
    name: 'outbox',
    usage: 'outbox --stuck [--json]',
    summary: 'messages no chat platform could deliver: never routed, routed nowhere, or given up, each with the reason',
    surfaces: ['cli', 'console'],
    options: { stuck: { type: 'boolean', help: 'list the messages that are stuck, oldest first' }, json },
    build: (values, positionals) => {
      if (positionals.length > 0) return `outbox takes no words of its own (got "${positionals[0]}")`;
      return values.stuck === true ? { name: 'outbox', stuck: true, json: values.json === true } : 'say what to show: `outbox --stuck`';
    },
  },
  ...approvalSpecs,
  {
    name: 'as',
    usage: 'as <email>',
    summary: 'act as this person: their messages, their answers (as alone: who you are acting as)',
    surfaces: ['console'],
    options: {},
    build: (_values, positionals) => {
      if (positionals.length === 0) return { name: 'as' };
      const email = positionals.join(' ').trim();
      return positionals.length === 1 && looksLikeEmail(email) ? { name: 'as', email: email.toLowerCase() } : `as takes one email address, e.g. \`as alice@example.com\``;
    },
  },
  {
    name: 'inbox',
    usage: 'inbox [--all]',
    summary: 'show again the messages waiting for the person you act as (--all: every message with something left to press)',
    surfaces: ['console'],
    options: { all: { type: 'boolean', help: 'every open message, channels included' } },
    build: (values, positionals) => (positionals.length > 0 ? 'inbox takes no words of its own' : { name: 'inbox', all: values.all === true }),
  },
  {
    name: 'press',
    usage: 'press <n> [--note|--reason|--owner|--days|--team|--set …]',
    summary: 'press the action numbered n in a message, as the person you act as',
    surfaces: ['console'],
    options: {
      note: { type: 'string', value: 'TEXT', help: 'a note kept with the answer', freeText: 'value' },
      reason: { type: 'string', value: 'TEXT', help: 'why (Snooze needs one; Not mine and Decommission take one)', freeText: 'value' },
      owner: { type: 'string', value: 'EMAIL', help: 'Not mine: who you think owns it' },
      days: { type: 'string', value: 'N', help: 'Snooze: for how many days' },
      team: { type: 'string', value: 'SLUG', help: 'Claim: which of your teams will own it' },
      confirm: { type: 'string', value: 'REF', help: "Approve of a decommission: the item's ref, typed to confirm" },
      set: {
        type: 'string',
        value: 'field=value',
        multiple: true,
        freeText: 'after_equals',
        help: 'Update: a corrected fact (purpose, scopes, expires, recovery, revocation); repeat for several',
      },
    },
    build: (values, positionals) => {
      const [number, ...extra] = positionals;
      if (number === undefined || !/^\d+$/.test(number) || Number(number) === 0) return 'say which action to press by its number, e.g. `press 3`';
      if (extra.length > 0) return `press takes one number (got "${extra[0]}" too); quote text with spaces, e.g. --reason "moved to team X"`;
      const days = text(values.days);
      if (days !== undefined && !/^\d+$/.test(days)) return '--days takes a whole number of days';
      const owner = text(values.owner);
      if (owner !== undefined && !looksLikeEmail(owner)) return `--owner takes an email address, not "${owner}"`;
      const set = parseSettings(Array.isArray(values.set) ? values.set : []);
      if (typeof set === 'string') return set;
      const optional = { note: text(values.note), reason: text(values.reason), owner, team: text(values.team), confirm: text(values.confirm) };
      return {
        name: 'press',
        number: Number(number),
        set,
        ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
        ...(days === undefined ? {} : { days: Number(days) }),
      };
    },
  },
  {
    name: 'serve',
    usage: 'serve',
    summary: 'run Steward: chat adapters when credentials are set, else the console; GET /healthz on PORT',
    surfaces: ['cli'],
    options: {},
    build: (_values, positionals) => (positionals.length > 0 ? 'serve takes no arguments' : { name: 'serve' }),
  },
  {
    name: 'help',
    usage: 'help [command]',
    summary: 'this help, or one command’s',
    surfaces: ['cli', 'console', 'chat'],
    options: {},
    build: (_values, [topic]) => (topic === undefined ? { name: 'help' } : { name: 'help', topic }),
  },
];

/** The commands a surface offers, each usage as it shows there: without the options offered elsewhere only (chat never shows `--as`). */
export function commandsFor(surface: Surface): readonly CommandSpec[] {
  return specs
    .filter((spec) => spec.surfaces.includes(surface))
    .map((spec) => {
      let usage = spec.usage;
      for (const [name, option] of Object.entries(spec.options))
        if (option.surfaces !== undefined && !option.surfaces.includes(surface)) usage = usage.replace(` [--${name}${option.value ? ` ${option.value}` : ''}]`, '');
      return usage === spec.usage ? spec : { ...spec, usage };
    });
}

function optionsOn(spec: CommandSpec, surface: Surface): Array<readonly [string, OptionSpec]> {
  return Object.entries(spec.options).filter(([, o]) => o.surfaces === undefined || o.surfaces.includes(surface));
}

/**
 * How a command is started where it is typed: `steward` on the CLI (the default there), nothing on the console
 * (the default there and in chat), the chat platform's own in chat (`/steward` in Slack, `@Steward` in Teams).
 */
export interface Invocation {
  readonly invocation?: string | undefined;
}

/** `words` as the user types them on a surface: after its invocation, if it has one. */
export function typedAs(surface: Surface, words: string, { invocation }: Invocation = {}): string {
  const start = invocation ?? (surface === 'cli' ? 'steward' : '');
  return start === '' ? words : `${start} ${words}`;
}

function usageOf(spec: CommandSpec, surface: Surface, invocation: Invocation): string {
  return typedAs(surface, spec.usage, invocation);
}

const usageIndent = 'Usage: '.length + 2;

/** The usage a refusal carries, which every surface prints after `Usage: `: wrapped to fit 100 columns there. */
function usageAfterRefusal(spec: CommandSpec, surface: Surface, invocation: Invocation): string {
  return hanging('Usage: ', usageOf(spec, surface, invocation), usageIndent).join('\n').slice('Usage: '.length);
}

/** The options a command takes on other surfaces but not this one (`attest --as` is not for chat). */
function optionsElsewhere(spec: CommandSpec, surface: Surface): string[] {
  const here = new Set(optionsOn(spec, surface).map(([name]) => name));
  return specs.filter((s) => s.name === spec.name).flatMap((s) => Object.keys(s.options).filter((name) => !here.has(name)));
}

/**
 * Parses the words after the program name (or the chat platform's invocation, which the usage in a refusal
 * starts with). Never throws: bad words get a usage message in Steward's words, with the nearest command, option
 * or value when one is near. In chat a word that is no command gets the help (which says it is not one): a chat
 * user has no manual to turn to. A secret typed anywhere but in free text is refused first, before anything could
 * look it up or repeat it.
 */
export function parseCommand(words: readonly string[], surface: Surface, invocation: Invocation = {}): ParseResult {
  const [name, ...rest] = words;
  if (name === undefined || name === '--help' || name === '-h') return { ok: true, command: { name: 'help' } };
  const available = commandsFor(surface);
  const spec = available.find((s) => s.name === name.toLowerCase());
  const secret = secretTyped(words, (option) => spec?.options[option]?.freeText);
  if (secret !== null) return { ok: false, code: 'looks_like_secret', message: secretRefusal(secret), ...(spec ? { usage: usageAfterRefusal(spec, surface, invocation) } : {}) };
  if (!spec && surface === 'chat') return { ok: true, command: { name: 'help', topic: name } };
  if (!spec) return { ok: false, code: 'unknown_command', message: notACommand(name, available) };
  if (rest.includes('--help') || rest.includes('-h')) return { ok: true, command: { name: 'help', topic: spec.name } };
  const read = readOptions(spec.name, rest, Object.fromEntries(optionsOn(spec, surface)), optionsElsewhere(spec, surface));
  if (!read.ok) return { ok: false, code: 'bad_usage', message: read.message, usage: usageAfterRefusal(spec, surface, invocation) };
  const built = spec.build(read.values, read.positionals);
  return typeof built === 'string' ? { ok: false, code: 'bad_usage', message: built, usage: usageAfterRefusal(spec, surface, invocation) } : { ok: true, command: built };
}

function notACommand(word: string, available: readonly CommandSpec[]): string {
  return `${word} is not a command here${didYouMean(word, available.map((s) => s.name))}`;
}

/** Help text for a surface, or for one command (its options too), each usage as typed there; wrapped to fit 100 columns. */
export function helpText(surface: Surface, topic?: string, invocation: Invocation = {}): string {
  const available = commandsFor(surface);
  const spec = topic === undefined ? undefined : available.find((s) => s.name === topic.toLowerCase());
  if (spec) {
    const options = optionsOn(spec, surface).map(([key, o]) => [`--${key}${o.value ? ` ${o.value}` : ''}`, o.help] as const);
    return [
      ...hanging('Usage: ', usageOf(spec, surface, invocation), usageIndent),
      '',
      ...wrapText(spec.summary, helpWidth),
      ...(options.length > 0 ? ['', 'Options:', ...twoColumns(options, { indent: 2, maxTerm: 24 })] : []),
    ].join('\n');
  }
  const secret = topic === undefined ? null : secretTyped([topic]);
  const header = topic === undefined ? 'Commands:' : `${secret !== null ? secretRefusal(secret) : notACommand(topic, available)}. Commands:`;
  return [...wrapText(header, helpWidth), ...twoColumns(available.map((s) => [usageOf(s, surface, invocation), s.summary] as const), { indent: 2, maxTerm: 40 })].join('\n');
}
