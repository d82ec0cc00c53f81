import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backstage } from '../../../../adapters/sources/backstage/backstage.js';
import { formatProblem } from '../../../../src/inventory/source-location.js';
import { importSnapshots, memoryStore } from '../../../support/import-into-memory.js';
import { removeTempDirs, runSteward, tempDir } from '../../../support/run-steward.js';
import { useTempDir } from '../../../support/temp-dir.js';

/*
 * YAML that would exhaust memory or the stack when turned into values: an alias bomb ("billion laughs") and an
 * alias inside its own anchor. Both are bad input — exit 2 naming the file and the document — never exit 70.
 */

const tmp = useTempDir('hostile-yaml');
afterAll(removeTempDirs);

const group = ['apiVersion: backstage.io/v1alpha1', 'kind: Group', 'metadata:', '  name: pets', 'spec:', '  type: team', '  children: []'];

/** Nine times nine times … nine "lol"s: 9^6 strings from a 6-line document. */
const aliasBomb = [
  'apiVersion: backstage.io/v1alpha1', // 9 (after the group and its ---)
  'kind: API',
  'metadata:',
  '  name: lol',
  '  labels:',
  '    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  '    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  '    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  '    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  '    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  '    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'spec:',
  '  type: openapi',
  '  owner: pets',
];

const selfReference = ['apiVersion: backstage.io/v1alpha1', 'kind: API', 'metadata:', '  name: loop', '  labels: &l', '    again: *l', 'spec:', '  type: openapi'];

const catalogOf = (...documents: string[][]) => `${documents.map((d) => d.join('\n')).join('\n---\n')}\n`;

async function problemsOf(file: string) {
  const store = memoryStore();
  const report = await importSnapshots(store, backstage.read([file], {}, { apiCodePaths: [] }));
  return { applied: report.applied, problems: report.problems.map(formatProblem), counts: await store.countInventory() };
}

describe('backstage: hostile YAML is bad input', () => {
  it('when a document is an alias bomb, then the import is refused naming the file, the line and the document', async () => {
    const file = tmp.write('catalog.yaml', catalogOf(group, aliasBomb));

    const { applied, problems } = await problemsOf(file);

    expect(applied).toBe(false);
    expect(problems).toEqual([`${file}:9: YAML: document 2 uses its aliases too often (an "alias bomb" would exhaust memory); refused`]);
  });

  it('when an alias is inside its own anchor, then the import is refused naming the document, not a stack overflow', async () => {
    const file = tmp.write('catalog.yaml', catalogOf(group, selfReference));

    const { applied, problems } = await problemsOf(file);

    expect(applied).toBe(false);
    expect(problems).toEqual([`${file}:14: YAML: document 2 has an alias inside the anchor it names (a value that contains itself); refused`]);
  });

  it('when an alias names no anchor, then the import is refused at the alias line', async () => {
    const file = tmp.write('catalog.yaml', catalogOf(group, ['apiVersion: backstage.io/v1alpha1', 'kind: API', 'metadata:', '  name: lost', 'spec:', '  owner: *nowhere']));

    const { applied, problems } = await problemsOf(file);

    expect(applied).toBe(false);
    expect(problems).toEqual([`${file}:14: YAML: document 2 has an alias that names no anchor before it`]);
  });

  it('when steward.dev/identities holds an alias bomb, then it is refused at the annotation line', async () => {
    const nested = ['- &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...['b', 'c', 'd', 'e', 'f'].map((anchor, i) => `- &${anchor} [${Array(9).fill(`*${'abcde'[i]}`).join(', ')}]`)];
    const component = [
      'apiVersion: backstage.io/v1alpha1', 'kind: Component', 'metadata:', '  name: svc', '  annotations:',
      '    steward.dev/identities: |', // 14
      ...nested.map((line) => `      ${line}`),
      'spec:', '  type: service', '  lifecycle: production', '  owner: pets',
    ];
    const file = tmp.write('catalog.yaml', catalogOf(group, component));

    const { applied, problems } = await problemsOf(file);

    expect(applied).toBe(false);
    expect(problems).toEqual([`${file}:14: metadata.annotations.steward.dev/identities: uses its aliases too often (an "alias bomb" would exhaust memory); refused`]);
  });
});

describe('steward import and check: an alias bomb exits 2', () => {
  it('when `import backstage` and `check` are given an alias bomb, then both exit 2 naming the file, and nothing is written', async () => {
    const file = tmp.write('catalog.yaml', catalogOf(group, aliasBomb));
    const db = path.join(tempDir(), 'steward.db');

    const imported = await runSteward(['import', 'backstage', file, '--db', db]);
    const checked = await runSteward(['check', file]);

    expect({ code: imported.code, stderr: imported.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`${file}:9: YAML: document 2 uses its aliases too often`) });
    expect({ code: checked.code, stderr: checked.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`${file}:9: YAML: document 2 uses its aliases too often`) });
    expect(imported.stdout + imported.stderr + checked.stderr).not.toMatch(/went wrong|reference/);
  });
});
