import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { backstage } from '../../../../adapters/sources/backstage/backstage.js';
import type { SqliteStore } from '../../../../storage/sqlite-store.js';
import { directoryOf } from '../../../storage/support/directory.js';
import { sharedFixture, sharedFixturesAvailable } from '../../../support/fixtures.js';
import { importSnapshots, memoryStore } from '../../../support/import-into-memory.js';

/*
 * The real example catalog of backstage/backstage (../shared/fixtures/backstage), imported as the issue asks:
 * `all.yaml` (which follows every Location) and `acme/org.yaml` (the groups and users) in one command.
 */

const all = sharedFixture('backstage', 'all.yaml');
const org = sharedFixture('backstage', 'acme', 'org.yaml');
const allApis = sharedFixture('backstage', 'all-apis.yaml');

const read = (paths: string[]) => backstage.read(paths, {}, { apiCodePaths: [] });

async function importExample(store: SqliteStore = memoryStore()) {
  const report = await importSnapshots(store, read([all, org]));
  return { store, report };
}

interface YamlEntity {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: { owner?: string; lifecycle?: string; profile?: { email?: string } };
}

/** Every entity in the fixture folder, read with the YAML library alone: our own count, not the importer's. */
function fixtureEntities(): YamlEntity[] {
  const root = sharedFixture('backstage');
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
  return files
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(root, f), 'utf8')))
    .map((doc) => doc.toJS() as unknown)
    .filter((value): value is YamlEntity => typeof value === 'object' && value !== null && 'kind' in value && 'metadata' in value);
}

// Every API of the catalog, with its spec.owner and spec.lifecycle as the YAML files state them.
const apiOwners = [
  ['backstage-mcp-server', 'team-a', 'experimental'],
  ['hello-world-trpc', 'team-c', 'experimental'],
  ['petstore', 'team-c', 'experimental'],
  ['petstore-webhook', 'team-c', 'experimental'],
  ['spotify', 'team-a', 'production'],
  ['streetlights', 'team-c', 'production'],
  ['wayback-archive', 'team-a', 'production'],
  ['wayback-search', 'team-a', 'production'],
] as const;

describe.skipIf(!sharedFixturesAvailable)('backstage: the real example catalog (needs ../shared/fixtures; skipped without it)', () => {
  describe('the counts', () => {
    it('when the fixture folder is read with a plain YAML parser, then it holds the 8 APIs of the table, 9 groups and 17 users', () => {
      const entities = fixtureEntities();
      const ofKind = (kind: string) => entities.filter((e) => e.kind === kind);

      expect(ofKind('API').map((e) => [e.metadata.name, e.spec.owner, e.spec.lifecycle]).sort()).toEqual(apiOwners.map((row) => [...row]));
      expect(ofKind('Group')).toHaveLength(9);
      expect(ofKind('User')).toHaveLength(17);
    });

    it('when all.yaml and acme/org.yaml are imported in one command, then every API, group and user is in, and nothing is refused', async () => {
      const { store, report } = await importExample();
      const entities = fixtureEntities();
      const emails = new Set(entities.filter((e) => e.kind === 'User').map((e) => e.spec.profile?.email));

      expect(report.applied).toBe(true);
      expect(report.problems).toEqual([]);
      expect(report.sources.map((s) => [s.source, s.apis.created])).toEqual([
        [`backstage:${all}`, 8],
        [`backstage:${org}`, 0],
      ]);
      expect(await store.countInventory()).toEqual({
        apis: entities.filter((e) => e.kind === 'API').length,
        identities: 0,
        teams: entities.filter((e) => e.kind === 'Group').length,
        // Two Users (guest, and guest in the development namespace) share one email: one person.
        people: emails.size,
      });
      expect(emails.size).toBe(16);
    });
  });

  describe('the APIs and their owners', () => {
    it.each(apiOwners)('when the catalog is imported, then %s is owned by %s and is %s', async (ref, team, lifecycle) => {
      const { store } = await importExample();
      const detail = await store.getItemDetail('api', ref);

      expect(detail?.item).toMatchObject({
        kind: 'api',
        ref,
        lifecycle,
        owner: { team: { slug: team }, accountable: null, backup: null, approver: null },
        provenance: { source: `backstage:${all}`, sourceKey: `api:default/${ref}` },
      });
    });

    it('when the catalog is imported, then every API is team-owned with no accountable person yet', async () => {
      const { store } = await importExample();
      const { items } = await store.listItems({ unowned: true });

      expect(items.map((i) => [i.ref, i.team, i.accountable])).toEqual(apiOwners.map(([ref, team]) => [ref, team, null]));
    });

    it('when an API has a description, then it is the purpose; a title-less API is named by its metadata.name', async () => {
      const { store } = await importExample();

      expect((await store.getItemDetail('api', 'petstore'))?.item).toMatchObject({ name: 'petstore', purpose: 'The petstore API' });
      expect((await store.getItemDetail('api', 'streetlights'))?.item.purpose).toBe('The Smartylighting Streetlights API allows you to remotely manage the city lights.');
    });
  });

  describe('the dependency edges derived from components', () => {
    it('when the catalog is imported, then the only API edge is wayback-search → wayback-archive, from the component that provides one and consumes the other', async () => {
      const { store } = await importExample();
      const edges: string[] = [];
      for (const [ref] of apiOwners)
        for (const link of (await store.getItemDetail('api', ref))?.links ?? [])
          edges.push(`${ref} ${link.direction} ${link.relation} ${link.kind}:${link.ref}`);

      expect(edges).toEqual(['wayback-archive in depends_on api:wayback-search', 'wayback-search out depends_on api:wayback-archive']);
    });

    it('when petstore\'s provider (the petstore component) consumes no API and depends on no component, then petstore and its sibling APIs depend on nothing', async () => {
      const { store } = await importExample();

      for (const ref of ['petstore', 'streetlights']) expect((await store.getItemDetail('api', ref))?.links).toEqual([]);
    });
  });

  describe('the groups and users', () => {
    it('when acme/org.yaml is imported, then every group is a team under its parent, named by its display name', async () => {
      const { store } = await importExample();

      expect(directoryOf(store).teams.map(({ slug, name, parent }) => [slug, name, parent])).toEqual([
        ['acme-corp', 'ACME Corp', null],
        ['backstage', 'Backstage', 'infrastructure'],
        ['boxoffice', 'Box Office', 'infrastructure'],
        ['infrastructure', 'infrastructure', 'acme-corp'],
        ['team-a', 'team-a', 'backstage'], // "Intentional no displayName for testing"
        ['team-b', 'Team B', 'backstage'],
        ['team-c', 'Team C', 'boxoffice'],
        ['team-d', 'Team D', 'boxoffice'],
        ['team-e', 'Team E With A Very Very Very Very Big Name Size', 'boxoffice'],
      ]);
    });

    it('when acme/org.yaml is imported, then every user is a person with their email, display name and team', async () => {
      const { store } = await importExample();

      expect(directoryOf(store).people.map(({ email, displayName, teams }) => [email, displayName, teams.join(' ')])).toEqual([
        ['amelia-park@example.com', 'Amelia Park', 'team-b'],
        ['breanna-davison@example.com', null, 'team-a'], // "Intentional no displayName for testing"
        ['calum-leavy@example.com', 'Calum Leavy', 'team-c'],
        ['colette-brock@example.com', 'Colette Brock', 'team-b'],
        ['eva-macdowell@example.com', 'Eva MacDowell', 'team-d'],
        ['frank-tiernan@example.com', 'Frank Tiernan', 'team-c'],
        ['guest@example.com', 'Guest User', 'team-a'], // default/guest and development/guest, memberOf group:default/team-a
        ['janelle-dawe@example.com', 'Janelle Dawe', 'team-a'],
        ['jenny-doe@example.com', 'Jenny Doe', 'team-b'],
        ['jonathon-page@example.com', 'Jonathon Page', 'team-b'],
        ['justine-barrow@example.com', 'Justine Barrow', 'team-b'],
        ['lucy-sheehan@example.com', 'Lucy Sheehan', 'team-d'],
        ['nigel-manning@example.com', 'Nigel Manning', 'team-a'],
        ['peadar-macmahon@example.com', 'Peadar MacMahon', 'team-c'],
        ['sarah-gilroy@example.com', 'Sarah Gilroy', 'team-c'],
        ['tara-macgovern@example.com', 'Tara MacGovern', 'team-c'],
      ]);
    });

    it('when the teams are counted by member, then each team has the members its users declare', async () => {
      const { store } = await importExample();
      const members = Object.fromEntries(directoryOf(store).teams.map((t) => [t.slug, t.members.length]));

      expect(members).toEqual({ 'acme-corp': 0, backstage: 0, boxoffice: 0, infrastructure: 0, 'team-a': 4, 'team-b': 5, 'team-c': 5, 'team-d': 2, 'team-e': 0 });
    });
  });

  describe('what the importer tolerates', () => {
    it('when Location targets are missing, then each is a warning finding at the line naming it, and the import still applies', async () => {
      const { report } = await importExample();
      const lines = fs.readFileSync(allApis, 'utf8').split('\n');
      const lineOf = (target: string) => lines.findIndex((l) => l.trim() === `- ${target}`) + 1;

      expect(report.applied).toBe(true);
      expect(report.sources.flatMap((s) => s.findings)).toEqual(
        ['./apis/hello-world-api.yaml', './apis/swapi-graphql.yaml'].map((target) => ({
          severity: 'warning',
          code: 'backstage_missing_location',
          subject: target,
          message: `Location target ${target} does not exist`,
          at: { file: allApis, line: lineOf(target), document: 1 },
        })),
      );
      expect(lineOf('./apis/hello-world-api.yaml')).toBeGreaterThan(0);
    });

    it('when a component has a spec field outside the schema (artist-lookup\'s apiConsumedBy) and the catalog holds AiResources, then neither is a problem or a finding', async () => {
      const entities = fixtureEntities();
      expect(entities.find((e) => e.metadata.name === 'artist-lookup')?.spec).toHaveProperty('apiConsumedBy');
      expect(entities.filter((e) => e.kind === 'AiResource')).toHaveLength(2);

      const { report } = await importExample();

      expect(report.invalid).toBe(0);
      expect(report.sources.flatMap((s) => s.findings).map((f) => f.code)).toEqual(['backstage_missing_location', 'backstage_missing_location']);
    });
  });

  describe('importing again', () => {
    it('when the same two files are imported again, then nothing changes', async () => {
      const { store } = await importExample();
      const before = directoryOf(store);

      const again = await importSnapshots(store, read([all, org]), { at: '2026-11-02T09:00:00Z' });

      expect(again.sources.map((s) => [s.apis, s.teams, s.people, s.ownershipChanges])).toEqual([
        [{ created: 0, updated: 0, unchanged: 8, vanished: 0, reappeared: 0 }, { created: 0, updated: 0, unchanged: 0 }, { created: 0, updated: 0, unchanged: 0 }, 0],
        [{ created: 0, updated: 0, unchanged: 0, vanished: 0, reappeared: 0 }, { created: 0, updated: 0, unchanged: 9 }, { created: 0, updated: 0, unchanged: 16 }, 0],
      ]);
      expect(directoryOf(store)).toEqual(before);
    });

    it('when only all.yaml is imported later, then the groups and users of the other root do not vanish', async () => {
      const { store } = await importExample();

      const report = await importSnapshots(store, read([all]), { at: '2026-11-02T09:00:00Z' });

      expect(report.sources.map((s) => s.source)).toEqual([`backstage:${all}`]);
      expect(directoryOf(store).people).toHaveLength(16);
      expect((await store.listItems({})).items.filter((i) => i.vanished)).toEqual([]);
    });
  });
});
