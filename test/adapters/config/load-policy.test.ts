import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadPolicy } from '../../../adapters/config/load-policy.js';
import { InputError } from '../../../src/errors.js';
import { formatProblem } from '../../../src/inventory/source-location.js';
import { defaultPolicy } from '../../../src/policy/policy.js';
import { removeTempDirs, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

function policyFile(text: string, name = 'policy.yaml'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

const lines = (text: readonly string[]) => `${text.join('\n')}\n`;

/** The problems of the InputError `loadPolicy` throws, as the CLI prints them. */
function refusal(file: string): { message: string; problems: string[] } {
  try {
    loadPolicy(file);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { message: error.message, problems: error.problems.map(formatProblem) };
  }
  throw new Error('expected the policy file to be refused');
}

describe('loadPolicy', () => {
  test('when no file is given, then the defaults apply', () => {
    expect(loadPolicy(undefined)).toBe(defaultPolicy);
  });

  test('when a file sets a few fields, then they apply and everything else keeps its default', () => {
    const policy = loadPolicy(policyFile('gate:\n  api: [owner_team, backup]\nattestation:\n  responseWindowDays: 3\n'));

    expect(policy.gate.api).toEqual(['owner_team', 'backup']);
    expect(policy.gate.identity).toEqual(defaultPolicy.gate.identity);
    expect(policy.attestation.responseWindowDays).toBe(3);
    expect(policy.attestation.snoozeMaxDays).toBe(defaultPolicy.attestation.snoozeMaxDays);
  });

  test('when the file is JSON, then it is read as the YAML it also is', () => {
    expect(loadPolicy(policyFile('{"gate": {"identity": ["owner_team"]}}', 'policy.json')).gate.identity).toEqual(['owner_team']);
  });

  test('when the file is empty, then the defaults apply', () => {
    expect(loadPolicy(policyFile(''))).toEqual(defaultPolicy);
  });

  test('when a value is not allowed, then the refusal names the file, the line and the field', () => {
    const file = policyFile('attestation: {}\ngate:\n  api:\n    - owner_team\n    - nonsense\n');

    const { message, problems } = refusal(file);

    expect(message).toBe(`${file}: the policy file has 1 problem`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${file}:5: gate\\.api\\.1: .*owner_team`));
  });

  test('when a key is misspelt, then it is refused by name on its own line, not ignored', () => {
    const file = policyFile('attestation:\n  responseWindowDays: 7\n  reminderOffsetDays: [2]\n');

    expect(refusal(file).problems).toEqual([`${file}:3: attestation.reminderOffsetDays: is not a policy setting`]);
  });

  test('when a number is of the wrong kind, then its field and line are named', () => {
    const file = policyFile('credentials:\n  rotationDays:\n    token: -5\n');

    expect(refusal(file).problems[0]).toMatch(new RegExp(`^${file}:3: credentials\\.rotationDays\\.token: `));
  });

  test('when the file is not YAML, then the line of the syntax error is named', () => {
    const file = policyFile('gate:\n  api: [owner_team\n');

    const { message, problems } = refusal(file);

    expect(message).toBe(`${file}: the policy file is not valid YAML`);
    expect(problems[0]).toMatch(new RegExp(`^${file}:\\d+: YAML: `));
  });

  test('when the file is a list instead of settings, then it is refused, not taken as defaults', () => {
    const file = policyFile('- gate\n- api\n');

    expect(refusal(file).problems).toEqual([`${file}:1: must be a mapping of policy settings (e.g. \`gate:\`)`]);
  });

  test('when the file holds two YAML documents, then it is refused in words a user can act on', () => {
    const file = policyFile('gate: {}\n---\ndigest: {}\n');

    expect(refusal(file).problems).toEqual([`${file}:1: YAML: holds more than one document; a policy file is one`]);
  });

  test('when the file is missing, then it is refused naming it', () => {
    const file = path.join(tempDir(), 'nope.yaml');

    expect(refusal(file).message).toBe(`${file}: cannot read the policy file (ENOENT)`);
  });
});

describe('loadPolicy: YAML that would exhaust memory or the stack is a bad policy file', () => {
  test('when the policy file is an alias bomb, then it is refused naming the file, not thrown as a bug', () => {
    const file = policyFile(lines([
      'gate:', // 1
      '  api: [owner_team]', // 2
      'lol:', // 3
      '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ]));

    expect(refusal(file)).toEqual({
      message: `${file}: the policy file is not valid YAML`,
      problems: [`${file}:1: YAML: uses its aliases too often (an "alias bomb" would exhaust memory); refused`],
    });
  });

  test('when an alias is inside its own anchor, then it is refused, not a stack overflow', () => {
    const file = policyFile(lines(['gate: &g', '  api: *g']));

    expect(refusal(file).problems).toEqual([`${file}:2: YAML: has an alias inside the anchor it names (a value that contains itself); refused`]);
  });

  test('when a setting holds a lone UTF-16 surrogate, then it is refused naming its line and field', () => {
    const file = policyFile(lines(['timezone: UTC', 'digest:', '  channel: "#sec\\ud800"']));

    expect(refusal(file).problems).toEqual([
      `${file}:3: digest.channel: holds a lone UTF-16 surrogate (half of a character, as "\\ud800" writes in JSON or YAML), which is not text; refused`,
    ]);
  });
});

describe('loadPolicy: the policy file is a file of a policy\'s size, read as the importers read theirs', () => {
  test('when the policy path is a device that never ends (/dev/zero), then it is refused naming it, without reading it', () => {
    expect(refusal('/dev/zero').message).toBe('/dev/zero: cannot read the policy file (a device or socket, not a file)');
  });

  test('when the policy file is larger than 1 MiB, then it is refused naming it and its size', () => {
    const file = policyFile(`# ${'x'.repeat(1 << 20)}\ngate: {}\n`);

    expect(refusal(file).message).toBe(`${file}: cannot read the policy file (larger than 1 MiB: ${(1 << 20) + 12} bytes)`);
  });

  test('when the policy path is a folder, then it is refused naming it as a folder', () => {
    const dir = tempDir();

    expect(refusal(dir).message).toBe(`${dir}: cannot read the policy file (a folder, not a file)`);
  });
});
