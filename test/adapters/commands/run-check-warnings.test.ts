import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/** A catalog of `count` APIs whose accountable person is a User the catalog does not have: one warning each. */
function catalogWithUnresolvedOwners(count: number): string {
  const file = path.join(tempDir(), 'catalog.yaml');
  const group = ['apiVersion: backstage.io/v1alpha1', 'kind: Group', 'metadata:', '  name: pets', 'spec:', '  type: team', '  children: []'].join('\n');
  const api = (i: number) =>
    ['apiVersion: backstage.io/v1alpha1', 'kind: API', 'metadata:', `  name: api-${i}`, '  annotations:', '    steward.dev/accountable: user:nobody', 'spec:', '  type: openapi', '  owner: pets'].join('\n');
  fs.writeFileSync(file, `${[group, ...Array.from({ length: count }, (_, i) => api(i + 1))].join('\n---\n')}\n`);
  return file;
}

describe('steward check: repeated warnings are summarised', () => {
  it('when one warning repeats, then check prints the first three and a count, and --json lists every one', async () => {
    const file = catalogWithUnresolvedOwners(10);

    const text = await runSteward(['check', file]);
    const json = await runSteward(['check', file, '--json']);

    const warnings = text.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    expect(warnings).toHaveLength(3);
    expect(text.stderr).toContain('… and 7 more like these (backstage_unresolved_person: 10 in all); add --json to the same check to list every one');
    const data = JSON.parse(json.stdout) as { warnings: Array<{ code: string; at: { file: string; line: number } }> };
    expect(data.warnings.map((w) => w.code)).toEqual(Array(10).fill('backstage_unresolved_person'));
    expect(data.warnings[0]?.at).toMatchObject({ file, line: 14 });
  });
});
