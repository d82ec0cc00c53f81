import { parse as parseYaml } from 'yaml';
import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { SourceLocation } from '../../../src/inventory/source-location.js';
import { localName, parseEntityRef, stringifyEntityRef, type EntityRef } from './entity-ref.js';
import type { Catalog, CatalogEntity, CatalogNotice } from './read-catalog.js';
import { annotationPrefix, knownStewardAnnotations, sourceLocationAnnotation, stewardAnnotations as A } from './steward-annotations.js';

type Entry = RawEntry | InvalidEntry;

const lifecycles = new Set(['experimental', 'production', 'deprecated', 'decommissioned']);
const annotationLabel = (name: string) => `metadata.annotations.${name}`;

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

/** `url:https://github.com/org/repo/tree/main/services/petstore` → `services/petstore`, for CODEOWNERS. */
export function codePathFromSourceLocation(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const match = /^url:https?:\/\/[^/]+\/[^/]+\/[^/]+\/(?:-\/)?(?:tree|blob|src)\/[^/]+\/(.+)$/.exec(location.trim());
  return match?.[1];
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

/** Turns catalog entities into import entries: Groups → teams, Users → people, APIs → APIs, declared identities → identities. */
class CatalogMapper {
  private readonly index: CatalogIndex;

  constructor(private readonly catalog: Catalog) {
    this.index = new CatalogIndex(catalog.entities);
  }

  *entries(include: (entity: CatalogEntity) => boolean, includeNotice: (notice: CatalogNotice) => boolean): Generator<Entry> {
    const entities = this.catalog.entities.filter(include);
    const ofKind = (kind: string) => entities.filter((e) => e.kind.toLowerCase() === kind);
    // Teams and people first, so the items after them find their owners.
    for (const group of ofKind('group')) yield* this.team(group);
    for (const user of ofKind('user')) yield* this.person(user);
    for (const api of ofKind('api')) yield* this.api(api);
    for (const holder of [...ofKind('component'), ...ofKind('resource')]) yield* this.identities(holder);
    for (const entity of entities) yield* this.annotationWarnings(entity);
    for (const notice of this.catalog.notices.filter(includeNotice))
      yield this.finding(notice.at, notice.code === 'backstage_remote_location' ? 'info' : 'warning', notice.code, notice.subject, notice.message);
  }

  private finding(at: SourceLocation, severity: 'warning' | 'info', code: string, subject: string, message: string): RawEntry {
    return { type: 'finding', at, sourceKey: `${code}:${subject}`, data: { severity, code, subject, message } };
  }

  private at(entity: CatalogEntity, ...keys: Array<string | number>): SourceLocation {
    const line = entity.lineOf(...keys);
    return line === undefined ? entity.at : { ...entity.at, line };
  }

  /** Values Steward does not keep, checked for secrets all the same (links and labels leak tokens too). */
  private unmapped(entity: CatalogEntity): Array<[string, string]> {
    const values: Array<[string, string]> = [];
    for (const [name, value] of Object.entries(annotations(entity)))
      if (!knownStewardAnnotations.has(name) && text(value) !== undefined) values.push([annotationLabel(name), text(value) as string]);
    const labels = isRecord(entity.metadata.labels) ? entity.metadata.labels : {};
    for (const [name, value] of Object.entries(labels)) if (text(value) !== undefined) values.push([`metadata.labels.${name}`, text(value) as string]);
    list(entity.metadata.links).forEach((link, i) => {
      if (isRecord(link) && typeof link.url === 'string') values.push([`metadata.links[${i}].url`, link.url]);
    });
    return values;
  }

  /** An owner field's value (an email or a `user:` ref) as an email, or a finding when the catalog cannot say. */
  private email(entity: CatalogEntity, value: string | undefined, field: string, findings: RawEntry[]): string | undefined {
    if (value === undefined || value.trim() === '') return undefined;
    if (value.includes('@')) return value;
    const ref = parseEntityRef(value, { kind: 'user', namespace: entity.namespace });
    const email = ref ? this.index.user(ref)?.email : undefined;
    if (email === undefined)
      findings.push(
        this.finding(this.at(entity, ...field.split('.')), 'warning', 'backstage_unresolved_person', `${stringifyEntityRef(this.index.refOf(entity))} ${field}`,
          `${field} names ${value}, which is not a User with an email in this catalog; left unassigned`),
      );
    return email;
  }

  private annotationEmail(entity: CatalogEntity, name: string, findings: RawEntry[]): string | undefined {
    const value = annotation(entity, name);
    if (value === undefined) return undefined;
    return this.email(entity, value, annotationLabel(name), findings);
  }

  private *team(group: CatalogEntity): Generator<Entry> {
    const findings: RawEntry[] = [];
    const profile = isRecord(group.spec.profile) ? group.spec.profile : {};
    const parent = parseEntityRef(group.spec.parent, { kind: 'group', namespace: group.namespace });
    const members = this.index
      .refs(group, group.spec.members, 'user')
      .map((ref) => this.email(group, stringifyEntityRef(ref), 'spec.members', findings))
      .filter((e): e is string => e !== undefined);
    yield {
      type: 'team',
      at: group.at,
      sourceKey: stringifyEntityRef(this.index.refOf(group)),
      labels: { slug: 'metadata.name', name: 'spec.profile.displayName', parent: 'spec.parent', lead: annotationLabel(A.lead), channel: annotationLabel(A.channel), members: 'spec.members' },
      fieldLines: linesOf({ slug: group.lineOf('metadata', 'name'), lead: group.lineOf('metadata', 'annotations', A.lead), channel: group.lineOf('metadata', 'annotations', A.channel) }),
      unmapped: this.unmapped(group),
      data: {
        slug: localName(group),
        name: text(profile.displayName) ?? text(group.metadata.title),
        parent: parent ? localName(parent) : undefined,
        lead: this.annotationEmail(group, A.lead, findings),
        channel: annotation(group, A.channel),
        members,
      },
    };
    yield* findings;
  }

  private *person(user: CatalogEntity): Generator<Entry> {
    const ref = this.index.refOf(user);
    const details = this.index.user(ref);
    if (details?.email === undefined) {
      yield this.finding(user.at, 'warning', 'backstage_user_without_email', stringifyEntityRef(ref), `User ${stringifyEntityRef(ref)} has no spec.profile.email: Steward cannot reach them, so they are not imported`);
      return;
    }
    const profile = isRecord(user.spec.profile) ? user.spec.profile : {};
    yield {
      type: 'person',
      at: user.at,
      sourceKey: stringifyEntityRef(ref),
      labels: { email: 'spec.profile.email', displayName: 'spec.profile.displayName', teams: 'spec.memberOf' },
      fieldLines: linesOf({ email: user.lineOf('spec', 'profile', 'email') }),
      unmapped: this.unmapped(user),
      data: { email: details.email, displayName: text(profile.displayName) ?? text(user.metadata.title), teams: details.groups.map(localName) },
    };
  }

  /** The owner a Group or User `spec.owner` states, with the accountable person from annotations. */
  private ownerClaim(entity: CatalogEntity, findings: RawEntry[]) {
    const owner = parseEntityRef(entity.spec.owner, { kind: 'group', namespace: entity.namespace });
    let team: string | undefined;
    let accountable = this.annotationEmail(entity, A.accountable, findings);
    if (owner?.kind === 'group') team = localName(owner);
    else if (owner?.kind === 'user') {
      const user = this.index.user(owner);
      accountable ??= this.email(entity, stringifyEntityRef(owner), 'spec.owner', findings);
      // A person owner's team is their team, when they have exactly one.
      const groups = user?.groups ?? [];
      if (groups.length === 1 && groups[0]) team = localName(groups[0]);
    } else if (entity.spec.owner !== undefined)
      findings.push(this.finding(this.at(entity, 'spec', 'owner'), 'warning', 'backstage_unsupported_owner', stringifyEntityRef(this.index.refOf(entity)), `spec.owner ${String(text(entity.spec.owner) ?? '')} is neither a Group nor a User`));
    return {
      team,
      accountable,
      backup: this.annotationEmail(entity, A.backup, findings),
      approver: this.annotationEmail(entity, A.approver, findings),
    };
  }

  private *api(api: CatalogEntity): Generator<Entry> {
    const findings: RawEntry[] = [];
    const ref = this.index.refOf(api);
    const lifecycle = text(api.spec.lifecycle);
    if (lifecycle !== undefined && !lifecycles.has(lifecycle.toLowerCase()))
      findings.push(this.finding(this.at(api, 'spec', 'lifecycle'), 'warning', 'backstage_unknown_lifecycle', stringifyEntityRef(ref), `spec.lifecycle ${lifecycle} is not one Steward knows (experimental, production, deprecated, decommissioned); left blank`));
    const line = (name: string) => api.lineOf('metadata', 'annotations', name);
    yield {
      type: 'api',
      at: api.at,
      sourceKey: stringifyEntityRef(ref),
      labels: {
        ref: 'metadata.name',
        name: 'metadata.title',
        purpose: annotation(api, A.purpose) === undefined ? 'metadata.description' : annotationLabel(A.purpose),
        sensitivity: annotationLabel(A.dataSensitivity),
        exposure: annotationLabel(A.exposure),
        authMethod: annotationLabel(A.authMethod),
        revocationPath: annotationLabel(A.revocationPath),
        lifecycle: 'spec.lifecycle',
        system: 'spec.system',
        codePath: annotationLabel(A.codePath),
        owner: 'spec.owner',
      },
      fieldLines: linesOf({
        ref: api.lineOf('metadata', 'name'),
        purpose: line(A.purpose) ?? api.lineOf('metadata', 'description'),
        sensitivity: line(A.dataSensitivity),
        exposure: line(A.exposure),
        authMethod: line(A.authMethod),
        revocationPath: line(A.revocationPath),
        lifecycle: api.lineOf('spec', 'lifecycle'),
        codePath: line(A.codePath),
        owner: api.lineOf('spec', 'owner'),
      }),
      unmapped: this.unmapped(api),
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
        codePath: annotation(api, A.codePath) ?? codePathFromSourceLocation(annotation(api, sourceLocationAnnotation)),
        owner: this.ownerClaim(api, findings),
        links: this.index.dependenciesOf(ref).map((dep) => ({ relation: 'depends_on', kind: 'api', ref: localName(dep) })),
      },
    };
    yield* findings;
  }

  /** Machine identities declared in a Component's or Resource's `steward.dev/identities` annotation (a YAML list). */
  private *identities(holder: CatalogEntity): Generator<Entry> {
    const declared = annotation(holder, A.identities);
    if (declared === undefined) return;
    const label = annotationLabel(A.identities);
    const at = this.at(holder, 'metadata', 'annotations', A.identities);
    let items: unknown;
    try {
      items = parseYaml(declared);
    } catch (error) {
      yield { type: 'invalid', at, problems: [{ at, field: label, message: `is not a YAML list: ${(error as Error).message.split('\n')[0]}` }] };
      return;
    }
    if (!Array.isArray(items)) {
      yield { type: 'invalid', at, problems: [{ at, field: label, message: 'must be a YAML list of identities' }] };
      return;
    }
    const holderRef = this.index.refOf(holder);
    const findings: RawEntry[] = [];
    const holderOwner = this.ownerClaim(holder, findings);
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
      const person = (key: string) => this.email(holder, text(item[key]), `${field}.${key}`, findings);
      const refs = (key: string, fallback: string[]) => (item[key] === undefined ? fallback : list(item[key]).map((v) => text(v) ?? ''));
      const scopes = Array.isArray(item.scopes) ? item.scopes.map((s) => text(s) ?? '') : (text(item.scopes)?.split(/[\s;]+/).filter(Boolean) ?? []);
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
    yield* findings;
  }

  /** A misspelt Steward annotation would silently drop a fact; say so. */
  private *annotationWarnings(entity: CatalogEntity): Generator<Entry> {
    for (const name of Object.keys(annotations(entity))) {
      if (!name.startsWith(annotationPrefix) || knownStewardAnnotations.has(name)) continue;
      yield this.finding(this.at(entity, 'metadata', 'annotations', name), 'warning', 'backstage_unknown_steward_annotation', `${stringifyEntityRef(this.index.refOf(entity))} ${name}`,
        `annotation ${name} is not one Steward knows: ${[...knownStewardAnnotations].join(', ')}`);
    }
  }
}

/** Our identity field → the key in a `steward.dev/identities` item. */
const identityLabels: Record<string, string> = {
  ref: 'ref', name: 'name', identityKind: 'kind', provider: 'provider', purpose: 'purpose', scopes: 'scopes',
  createdAt: 'created', expiresAt: 'expires', lastRotatedAt: 'last-rotated', lastUsedAt: 'last-used',
  recoveryProcedure: 'recovery', status: 'status', owner: 'team', links: 'serves',
};
const identityKeys: ReadonlySet<string> = new Set([...Object.values(identityLabels), 'accountable', 'backup', 'approver', 'calls']);

/** The import entries for the entities and notices `include` selects, resolving refs across the whole catalog. */
export function catalogEntries(
  catalog: Catalog,
  include: (entity: CatalogEntity) => boolean = () => true,
  includeNotice: (notice: CatalogNotice) => boolean = () => true,
): Generator<Entry> {
  return new CatalogMapper(catalog).entries(include, includeNotice);
}
