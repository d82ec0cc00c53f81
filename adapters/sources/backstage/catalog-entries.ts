import { parseDocument } from 'yaml';
import { Email, type InvalidEntry, type RawEntry } from '../../../src/inventory/import-entry.js';
import type { Problem, SourceLocation } from '../../../src/inventory/source-location.js';
import { detectSecret, secretKindDescriptions, type SecretKind } from '../../../src/secrets/detect-secret.js';
import { localName, parseEntityRef, stringifyEntityRef, type EntityRef } from './entity-ref.js';
import { yamlValue } from '../yaml-value.js';
import type { Catalog, CatalogEntity, CatalogNotice } from './read-catalog.js';
import { annotationPrefix, knownStewardAnnotations, sourceLocationAnnotation, stewardAnnotations as A } from './steward-annotations.js';

type Entry = RawEntry | InvalidEntry;
type Keys = ReadonlyArray<string | number>;

const lifecycles = new Set(['experimental', 'production', 'deprecated', 'decommissioned']);
const annotationLabel = (name: string) => `metadata.annotations.${name}`;
const annotationKeys = (name: string): Keys => ['metadata', 'annotations', name];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** Field → line, leaving out the fields the document does not have. */
function linesOf(lines: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(lines).filter((e): e is [string, number] => e[1] !== undefined));
}

function annotations(entity: CatalogEntity): Record<string, unknown> {
  return isRecord(entity.metadata.annotations) ? entity.metadata.annotations : {};
}

function annotation(entity: CatalogEntity, name: string): string | undefined {
  return text(annotations(entity)[name]);
}

/** The core's wording for a refused secret, so every importer says it the same way. */
function secretMessage(kind: SecretKind): string {
  return `looks like ${secretKindDescriptions[kind]}; refused and not stored (value withheld)`;
}

/**
 * Every string of an entity, with its label and path: all of `metadata` (annotations, labels, links, title,
 * description, tags) and of `spec` but an API's `definition`, which is the API's own document (its examples are
 * the API owner's business, and Steward neither reads nor keeps it).
 */
function entityStrings(entity: CatalogEntity): Array<{ label: string; keys: Keys; value: string }> {
  const found: Array<{ label: string; keys: Keys; value: string }> = [];
  const walk = (value: unknown, label: string, keys: Keys): void => {
    const leaf = text(value);
    if (leaf !== undefined) found.push({ label, keys, value: leaf });
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${label}[${i}]`, [...keys, i]));
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(v, `${label}.${k}`, [...keys, k]);
  };
  walk(entity.metadata, 'metadata', ['metadata']);
  for (const [key, value] of Object.entries(entity.spec)) if (key !== 'definition') walk(value, `spec.${key}`, ['spec', key]);
  return found;
}

/**
 * `url:https://github.com/org/repo/tree/main/services/petstore` → `services/petstore/`, for CODEOWNERS.
 * A `tree` URL names a directory, so the path ends in `/` (CODEOWNERS `/services/petstore/` owns the files
 * below it, not a file named `services/petstore`); a `blob` URL names a file.
 */
export function codePathFromSourceLocation(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const match = /^url:https?:\/\/[^/]+\/[^/]+\/[^/]+\/(?:-\/)?(tree|blob|src)\/[^/]+\/(.+)$/.exec(location.trim());
  if (!match) return undefined;
  const [, view, repositoryPath = ''] = match;
  return view === 'tree' && !repositoryPath.endsWith('/') ? `${repositoryPath}/` : repositoryPath;
}

/** The entities of a catalog, indexed by ref, and the lookups the mapping needs across files. */
class CatalogIndex {
  readonly byRef = new Map<string, CatalogEntity>();
  /** API ref → the components that provide it. */
  readonly providers = new Map<string, CatalogEntity[]>();

  constructor(entities: readonly CatalogEntity[]) {
    for (const entity of entities) this.byRef.set(stringifyEntityRef(this.refOf(entity)), entity);
    for (const entity of entities) {
      if (entity.kind.toLowerCase() !== 'component') continue;
      for (const api of this.refs(entity, entity.spec.providesApis, 'api')) {
        const key = stringifyEntityRef(api);
        this.providers.set(key, [...(this.providers.get(key) ?? []), entity]);
      }
    }
  }

  refOf(entity: CatalogEntity): EntityRef {
    return { kind: entity.kind.toLowerCase(), namespace: entity.namespace.toLowerCase(), name: entity.name.toLowerCase() };
  }

  refs(entity: CatalogEntity, value: unknown, defaultKind: string): EntityRef[] {
    return list(value)
      .map((v) => parseEntityRef(v, { kind: defaultKind, namespace: entity.namespace }))
      .filter((r): r is EntityRef => r !== null);
  }

  get(ref: EntityRef): CatalogEntity | undefined {
    return this.byRef.get(stringifyEntityRef(ref));
  }

  /** A user entity's email and groups, when the catalog has them. */
  user(ref: EntityRef): { email: string | undefined; groups: EntityRef[] } | undefined {
    const user = this.get(ref);
    if (!user) return undefined;
    const profile = isRecord(user.spec.profile) ? user.spec.profile : {};
    return { email: text(profile.email), groups: this.refs(user, user.spec.memberOf, 'group') };
  }

  /** The APIs an API depends on: those its providers consume, directly or through components they depend on. */
  dependenciesOf(api: EntityRef): EntityRef[] {
    const found = new Map<string, EntityRef>();
    for (const provider of this.providers.get(stringifyEntityRef(api)) ?? []) {
      for (const consumed of this.refs(provider, provider.spec.consumesApis, 'api')) found.set(stringifyEntityRef(consumed), consumed);
      for (const dependency of this.refs(provider, provider.spec.dependsOn, 'component')) {
        const target = this.get(dependency);
        if (target?.kind.toLowerCase() !== 'component') continue;
        for (const provided of this.refs(target, target.spec.providesApis, 'api')) found.set(stringifyEntityRef(provided), provided);
      }
    }
    found.delete(stringifyEntityRef(api));
    return [...found.values()].filter((r) => r.kind === 'api');
  }
}

/** What mapping one entity has to say besides its entry: warnings, and problems that refuse the import. */
class Remarks {
  readonly findings: Entry[] = [];
  readonly problems: Problem[] = [];

  *drain(at: SourceLocation): Generator<Entry> {
    yield* this.findings;
    if (this.problems.length > 0) yield { type: 'invalid', at, problems: this.problems };
  }
}

/** Turns catalog entities into import entries: Groups → teams, Users → people, APIs → APIs, declared identities → identities. */
class CatalogMapper {
  private readonly index: CatalogIndex;

  constructor(private readonly catalog: Catalog) {
    this.index = new CatalogIndex(catalog.entities);
  }

  *entries(include: (entity: CatalogEntity) => boolean, includeNotice: (notice: CatalogNotice) => boolean): Generator<Entry> {
    const entities = this.catalog.entities.filter(include);
    // A secret anywhere in an entity refuses the import (OWASP NHI2), whatever its kind and whether or not
    // Steward reads the field. Such an entity is not mapped further, so no entry or message carries it.
    const refused = new Set<CatalogEntity>();
    for (const entity of entities) {
      const problems = this.secretProblems(entity);
      if (problems.length === 0) continue;
      refused.add(entity);
      yield { type: 'invalid', at: entity.at, problems };
    }
    const clean = entities.filter((e) => !refused.has(e));
    const ofKind = (kind: string) => clean.filter((e) => e.kind.toLowerCase() === kind);
    // Teams and people first, so the items after them find their owners.
    for (const group of ofKind('group')) yield* this.team(group);
    for (const user of ofKind('user')) yield* this.person(user);
    for (const api of ofKind('api')) yield* this.api(api);
    for (const holder of [...ofKind('component'), ...ofKind('resource')]) yield* this.identities(holder);
    for (const entity of clean) yield* this.annotationWarnings(entity);
    // A refused Location's notices would only repeat what refused it.
    const fromRefused = (notice: CatalogNotice) => [...refused].some((e) => e.at.file === notice.at.file && e.at.document === notice.at.document);
    for (const notice of this.catalog.notices.filter((n) => includeNotice(n) && !fromRefused(n)))
      yield this.finding(notice.at, 'spec.targets', notice.severity, notice.code, notice.subject, notice.message);
  }

  private secretProblems(entity: CatalogEntity): Problem[] {
    return entityStrings(entity).flatMap(({ label, keys, value }) => {
      const kind = detectSecret(label, value.trim());
      return kind === null ? [] : [{ at: this.at(entity, ...keys), field: label, message: secretMessage(kind) }];
    });
  }

  /**
   * A warning. Findings quote what the catalog says (an owner that is no User, a Location target), and a
   * finding is stored and shown: when what it quotes looks like a secret, the import is refused instead.
   */
  private finding(at: SourceLocation, field: string, severity: 'warning' | 'info', code: string, subject: string, message: string): Entry {
    const secret = detectSecret('', `${subject}\n${message}`);
    if (secret !== null) return { type: 'invalid', at, problems: [{ at, field, message: secretMessage(secret) }] };
    return { type: 'finding', at, sourceKey: `${code}:${subject}`, data: { severity, code, subject, message } };
  }

  private at(entity: CatalogEntity, ...keys: Keys): SourceLocation {
    const line = entity.lineOf(...keys);
    return line === undefined ? entity.at : { ...entity.at, line };
  }

  /**
   * An owner field's value (an email, or a `user:` ref the catalog resolves to one) as an email. A value that
   * is no email and no User with one is a warning and leaves the role unassigned; a malformed email is refused
   * here, where its own line is known.
   */
  private email(entity: CatalogEntity, value: string | undefined, field: string, keys: Keys, remarks: Remarks): string | undefined {
    if (value === undefined || value.trim() === '') return undefined;
    const at = this.at(entity, ...keys);
    if (value.includes('@')) {
      if (Email.safeParse(value.trim()).success) return value.trim();
      remarks.problems.push({ at, field, message: 'is not an email address' });
      return undefined;
    }
    const ref = parseEntityRef(value, { kind: 'user', namespace: entity.namespace });
    const email = ref ? this.index.user(ref)?.email : undefined;
    if (email === undefined)
      remarks.findings.push(
        this.finding(at, field, 'warning', 'backstage_unresolved_person', `${stringifyEntityRef(this.index.refOf(entity))} ${field}`,
          `${field} names ${value}, which is not a User with an email in this catalog; left unassigned`),
      );
    return email;
  }

  private annotationEmail(entity: CatalogEntity, name: string, remarks: Remarks): string | undefined {
    return this.email(entity, annotation(entity, name), annotationLabel(name), annotationKeys(name), remarks);
  }

  private *team(group: CatalogEntity): Generator<Entry> {
    const remarks = new Remarks();
    const profile = isRecord(group.spec.profile) ? group.spec.profile : {};
    const parent = parseEntityRef(group.spec.parent, { kind: 'group', namespace: group.namespace });
    const members = this.index
      .refs(group, group.spec.members, 'user')
      .map((ref) => this.email(group, stringifyEntityRef(ref), 'spec.members', ['spec', 'members'], remarks))
      .filter((e): e is string => e !== undefined);
    yield {
      type: 'team',
      at: group.at,
      sourceKey: stringifyEntityRef(this.index.refOf(group)),
      labels: { slug: 'metadata.name', name: 'spec.profile.displayName', parent: 'spec.parent', lead: annotationLabel(A.lead), channel: annotationLabel(A.channel), members: 'spec.members' },
      fieldLines: linesOf({
        slug: group.lineOf('metadata', 'name'),
        name: group.lineOf('spec', 'profile', 'displayName'),
        parent: group.lineOf('spec', 'parent'),
        lead: group.lineOf(...annotationKeys(A.lead)),
        channel: group.lineOf(...annotationKeys(A.channel)),
        members: group.lineOf('spec', 'members'),
      }),
      data: {
        slug: localName(group),
        name: text(profile.displayName) ?? text(group.metadata.title),
        parent: parent ? localName(parent) : undefined,
        lead: this.annotationEmail(group, A.lead, remarks),
        channel: annotation(group, A.channel),
        members,
      },
    };
    yield* remarks.drain(group.at);
  }

  private *person(user: CatalogEntity): Generator<Entry> {
    const ref = this.index.refOf(user);
    const details = this.index.user(ref);
    if (details?.email === undefined) {
      yield this.finding(user.at, 'spec.profile.email', 'warning', 'backstage_user_without_email', stringifyEntityRef(ref), `User ${stringifyEntityRef(ref)} has no spec.profile.email: Steward cannot reach them, so they are not imported`);
      return;
    }
    const profile = isRecord(user.spec.profile) ? user.spec.profile : {};
    yield {
      type: 'person',
      at: user.at,
      sourceKey: stringifyEntityRef(ref),
      labels: { email: 'spec.profile.email', displayName: 'spec.profile.displayName', teams: 'spec.memberOf' },
      fieldLines: linesOf({ email: user.lineOf('spec', 'profile', 'email'), displayName: user.lineOf('spec', 'profile', 'displayName'), teams: user.lineOf('spec', 'memberOf') }),
      data: { email: details.email, displayName: text(profile.displayName) ?? text(user.metadata.title), teams: details.groups.map(localName) },
    };
  }

  /** The owner `spec.owner` states (a Group, or a User and their one team), with the roles from annotations. */
  private ownerClaim(entity: CatalogEntity, remarks: Remarks) {
    const owner = parseEntityRef(entity.spec.owner, { kind: 'group', namespace: entity.namespace });
    let team: string | undefined;
    let accountable = this.annotationEmail(entity, A.accountable, remarks);
    if (owner?.kind === 'group') team = localName(owner);
    else if (owner?.kind === 'user') {
      const user = this.index.user(owner);
      accountable ??= this.email(entity, stringifyEntityRef(owner), 'spec.owner', ['spec', 'owner'], remarks);
      // A person owner's team is their team, when they have exactly one.
      const groups = user?.groups ?? [];
      if (groups.length === 1 && groups[0]) team = localName(groups[0]);
    } else if (entity.spec.owner !== undefined)
      remarks.findings.push(
        this.finding(this.at(entity, 'spec', 'owner'), 'spec.owner', 'warning', 'backstage_unsupported_owner', stringifyEntityRef(this.index.refOf(entity)),
          `spec.owner ${String(text(entity.spec.owner) ?? '')} is neither a Group nor a User`),
      );
    return {
      team,
      accountable,
      backup: this.annotationEmail(entity, A.backup, remarks),
      approver: this.annotationEmail(entity, A.approver, remarks),
    };
  }

  private *api(api: CatalogEntity): Generator<Entry> {
    const remarks = new Remarks();
    const ref = this.index.refOf(api);
    const lifecycle = text(api.spec.lifecycle);
    if (lifecycle !== undefined && !lifecycles.has(lifecycle.toLowerCase()))
      remarks.findings.push(
        this.finding(this.at(api, 'spec', 'lifecycle'), 'spec.lifecycle', 'warning', 'backstage_unknown_lifecycle', stringifyEntityRef(ref),
          `spec.lifecycle ${lifecycle} is not one Steward knows (experimental, production, deprecated, decommissioned); left blank`),
      );
    const line = (name: string) => api.lineOf(...annotationKeys(name));
    const purposeFromAnnotation = annotation(api, A.purpose) !== undefined;
    const sourceLocation = annotation(api, sourceLocationAnnotation);
    const codePathFromAnnotation = annotation(api, A.codePath) !== undefined || sourceLocation === undefined;
    yield {
      type: 'api',
      at: api.at,
      sourceKey: stringifyEntityRef(ref),
      labels: {
        ref: 'metadata.name',
        name: api.metadata.title === undefined ? 'metadata.name' : 'metadata.title',
        purpose: purposeFromAnnotation ? annotationLabel(A.purpose) : 'metadata.description',
        sensitivity: annotationLabel(A.dataSensitivity),
        exposure: annotationLabel(A.exposure),
        authMethod: annotationLabel(A.authMethod),
        revocationPath: annotationLabel(A.revocationPath),
        lifecycle: 'spec.lifecycle',
        system: 'spec.system',
        codePath: codePathFromAnnotation ? annotationLabel(A.codePath) : annotationLabel(sourceLocationAnnotation),
        owner: 'spec.owner',
        'owner.team': 'spec.owner',
        // The accountable person comes from its annotation, or else from a `user:` spec.owner.
        'owner.accountable': annotation(api, A.accountable) === undefined ? 'spec.owner' : annotationLabel(A.accountable),
        'owner.backup': annotationLabel(A.backup),
        'owner.approver': annotationLabel(A.approver),
        links: 'spec (providesApis/consumesApis of its components)',
      },
      fieldLines: linesOf({
        ref: api.lineOf('metadata', 'name'),
        name: api.lineOf('metadata', 'title') ?? api.lineOf('metadata', 'name'),
        purpose: purposeFromAnnotation ? line(A.purpose) : api.lineOf('metadata', 'description'),
        sensitivity: line(A.dataSensitivity),
        exposure: line(A.exposure),
        authMethod: line(A.authMethod),
        revocationPath: line(A.revocationPath),
        lifecycle: api.lineOf('spec', 'lifecycle'),
        system: api.lineOf('spec', 'system'),
        codePath: codePathFromAnnotation ? line(A.codePath) : line(sourceLocationAnnotation),
        owner: api.lineOf('spec', 'owner'),
        'owner.accountable': line(A.accountable) ?? api.lineOf('spec', 'owner'),
        'owner.backup': line(A.backup),
        'owner.approver': line(A.approver),
      }),
      data: {
        ref: localName(api),
        name: text(api.metadata.title) ?? api.name,
        purpose: annotation(api, A.purpose) ?? text(api.metadata.description)?.trim(),
        sensitivity: annotation(api, A.dataSensitivity),
        exposure: annotation(api, A.exposure),
        authMethod: annotation(api, A.authMethod),
        revocationPath: annotation(api, A.revocationPath),
        lifecycle: lifecycle !== undefined && lifecycles.has(lifecycle.toLowerCase()) ? lifecycle : undefined,
        system: (() => {
          const system = parseEntityRef(api.spec.system, { kind: 'system', namespace: api.namespace });
          return system ? localName(system) : undefined;
        })(),
        codePath: annotation(api, A.codePath) ?? codePathFromSourceLocation(sourceLocation),
        owner: this.ownerClaim(api, remarks),
        links: this.index.dependenciesOf(ref).map((dep) => ({ relation: 'depends_on', kind: 'api', ref: localName(dep) })),
      },
    };
    yield* remarks.drain(api.at);
  }

  /** Machine identities declared in a Component's or Resource's `steward.dev/identities` annotation (a YAML list). */
  private *identities(holder: CatalogEntity): Generator<Entry> {
    const declared = annotation(holder, A.identities);
    if (declared === undefined) return;
    const label = annotationLabel(A.identities);
    const keys = annotationKeys(A.identities);
    const at = this.at(holder, ...keys);
    const doc = parseDocument(declared);
    const [syntaxError] = doc.errors;
    if (syntaxError !== undefined) {
      yield { type: 'invalid', at, problems: [{ at, field: label, message: `is not a YAML list: ${syntaxError.message.split('\n')[0]}` }] };
      return;
    }
    const read = yamlValue(doc);
    if (!read.ok) {
      yield { type: 'invalid', at, problems: [{ at, field: label, message: read.message }] };
      return;
    }
    const items = read.value;
    if (!Array.isArray(items)) {
      yield { type: 'invalid', at, problems: [{ at, field: label, message: 'must be a YAML list of identities' }] };
      return;
    }
    const holderRef = this.index.refOf(holder);
    const remarks = new Remarks();
    const holderOwner = this.ownerClaim(holder, remarks);
    const provided = this.index.refs(holder, holder.spec.providesApis, 'api').map(localName);
    const consumed = this.index.refs(holder, holder.spec.consumesApis, 'api').map(localName);
    for (const [i, item] of items.entries()) {
      const field = `${label}[${i}]`;
      if (!isRecord(item)) {
        yield { type: 'invalid', at, problems: [{ at, field, message: 'must be a mapping with ref, kind and provider' }] };
        continue;
      }
      const unknown = Object.keys(item).filter((k) => !identityKeys.has(k));
      if (unknown.length > 0) {
        yield { type: 'invalid', at, problems: unknown.map((k) => ({ at, field: `${field}.${k}`, message: `is not a field Steward knows (known: ${[...identityKeys].join(', ')})` })) };
        continue;
      }
      const person = (key: string) => this.email(holder, text(item[key]), `${field}.${key}`, keys, remarks);
      const refs = (key: string, fallback: string[]) => (item[key] === undefined ? fallback : list(item[key]).map((v) => text(v) ?? ''));
      const scopes = Array.isArray(item.scopes) ? item.scopes.map((s) => text(s) ?? '') : (text(item.scopes)?.split(/[\s,;]+/).filter(Boolean) ?? []);
      const ref = text(item.ref);
      yield {
        type: 'identity',
        at,
        sourceKey: `${stringifyEntityRef(holderRef)}#${ref ?? i}`,
        labels: Object.fromEntries(Object.entries(identityLabels).map(([ours, theirs]) => [ours, `${field}.${theirs}`])),
        data: {
          ref,
          name: text(item.name) ?? ref,
          identityKind: text(item.kind),
          provider: text(item.provider),
          purpose: text(item.purpose),
          scopes,
          createdAt: text(item.created),
          expiresAt: text(item.expires),
          lastRotatedAt: text(item['last-rotated']),
          lastUsedAt: text(item['last-used']),
          recoveryProcedure: text(item.recovery),
          status: text(item.status),
          owner: {
            team: text(item.team) ?? holderOwner.team,
            accountable: person('accountable') ?? holderOwner.accountable,
            backup: person('backup') ?? holderOwner.backup,
            approver: person('approver') ?? holderOwner.approver,
          },
          links: [
            ...refs('serves', provided).map((api) => ({ relation: 'serves', kind: 'api', ref: api })),
            ...refs('calls', consumed).map((api) => ({ relation: 'calls', kind: 'api', ref: api })),
          ],
        },
      };
    }
    yield* remarks.drain(at);
  }

  /** A misspelt Steward annotation would silently drop a fact; say so. */
  private *annotationWarnings(entity: CatalogEntity): Generator<Entry> {
    for (const name of Object.keys(annotations(entity))) {
      if (!name.startsWith(annotationPrefix) || knownStewardAnnotations.has(name)) continue;
      yield this.finding(this.at(entity, ...annotationKeys(name)), annotationLabel(name), 'warning', 'backstage_unknown_steward_annotation', `${stringifyEntityRef(this.index.refOf(entity))} ${name}`,
        `annotation ${name} is not one Steward knows: ${[...knownStewardAnnotations].join(', ')}`);
    }
  }
}

/** Our identity field → the key in a `steward.dev/identities` item. */
const identityLabels: Record<string, string> = {
  ref: 'ref', name: 'name', identityKind: 'kind', provider: 'provider', purpose: 'purpose', scopes: 'scopes',
  createdAt: 'created', expiresAt: 'expires', lastRotatedAt: 'last-rotated', lastUsedAt: 'last-used',
  recoveryProcedure: 'recovery', status: 'status',
  owner: 'team', 'owner.team': 'team', 'owner.accountable': 'accountable', 'owner.backup': 'backup', 'owner.approver': 'approver',
  links: 'serves/calls',
};
const identityKeys: ReadonlySet<string> = new Set(['ref', 'name', 'kind', 'provider', 'purpose', 'scopes', 'created', 'expires', 'last-rotated', 'last-used', 'recovery', 'status', 'team', 'accountable', 'backup', 'approver', 'serves', 'calls']);

/** The import entries for the entities and notices `include` selects, resolving refs across the whole catalog. */
export function catalogEntries(
  catalog: Catalog,
  include: (entity: CatalogEntity) => boolean = () => true,
  includeNotice: (notice: CatalogNotice) => boolean = () => true,
): Generator<Entry> {
  return new CatalogMapper(catalog).entries(include, includeNotice);
}
