import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadPolicy } from '../../../adapters/config/load-policy.js';
import { InputError } from '../../../src/errors.js';
import { formatProblem } from '../../../src/inventory/source-location.js';
import { removeTempDirs, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

function policyFile(lines: readonly string[]): string {
  const file = path.join(tempDir(), 'policy.yaml');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function refusal(file: string): { message: string; problems: string[] } {
  try {
    loadPolicy(file);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { message: error.message, problems: error.problems.map(formatProblem) };
  }
  throw new Error('expected the policy file to be refused');
}

describe('loadPolicy: YAML that would exhaust memory or the stack is a bad policy file', () => {
  test('when the policy file is an alias bomb, then it is refused naming the file, not thrown as a bug', () => {
    const file = policyFile([
      'gate:', // 1
      '  api: [owner_team]', // 2
      'lol:', // 3
      '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ]);

    expect(refusal(file)).toEqual({
      message: `${file}: the policy file is not valid YAML`,
      problems: [`${file}:1: YAML: uses its aliases too often (an "alias bomb" would exhaust memory); refused`],
    });
  });

  test('when an alias is inside its own anchor, then it is refused, not a stack overflow', () => {
    const file = policyFile(['gate: &g', '  api: *g']);

    expect(refusal(file).problems).toEqual([`${file}:2: YAML: has an alias inside the anchor it names (a value that contains itself); refused`]);
  });

  test('when a setting holds a lone UTF-16 surrogate, then it is refused naming its line and field', () => {
    const file = policyFile(['timezone: UTC', 'digest:', '  channel: "#sec\\ud800"']);

    expect(refusal(file).problems).toEqual([
      `${file}:3: digest.channel: holds a lone UTF-16 surrogate (half of a character, as "\\ud800" writes in JSON or YAML), which is not text; refused`,
    ]);
  });
});
