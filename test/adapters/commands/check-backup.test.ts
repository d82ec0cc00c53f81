import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * The release gate and a backup who is the accountable person: with a policy that requires a backup, such an
 * item has none (exit 1, a finding naming the person); with any policy, check warns of it as import does.
 */

function files(): { csv: string; policy: string } {
  const dir = tempDir();
  const csv = path.join(dir, 'apis.csv');
  fs.writeFileSync(
    csv,
    [
      'ref,name,owner_team,accountable,backup,revocation_path',
      'payments-api,Payments API,payments,ana@acme.example,ana@acme.example,https://runbooks.acme.example/revoke',
      'ledger-api,Ledger API,ledger,ben@acme.example,cho@acme.example,https://runbooks.acme.example/revoke',
      '',
    ].join('\n'),
  );
  const policy = path.join(dir, 'gate-policy.yaml');
  fs.writeFileSync(policy, 'gate:\n  api: [owner_team, accountable, backup]\n');
  return { csv, policy };
}

const warning = (csv: string) =>
  `warning: ${csv}:2: api payments-api: ana@acme.example is both its accountable person and its backup, so the escalation ladder's backup rung reaches nobody new; name another backup`;

describe('steward check: a backup who is the accountable person', () => {
  it('when the policy requires a backup, then the item fails the gate naming the person, and exits 1', async () => {
    const { csv, policy } = files();

    const { code, stdout, stderr } = await runSteward(['check', csv, '--policy', policy]);

    expect(code).toBe(1);
    expect(stdout).toContain(`${csv}:2: payments-api: ana@acme.example is both its accountable person and its backup; name another backup`);
    expect(stdout).not.toContain('ledger-api');
    expect(stderr).toContain(warning(csv));
  });

  it('when the policy does not require a backup, then check passes and still warns, as import does', async () => {
    const { csv } = files();

    const { code, stderr } = await runSteward(['check', csv]);

    expect(code).toBe(0);
    expect(stderr.split('\n')).toContain(warning(csv));
  });
});
