import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSampleInventoryIfEmpty } from '../../../adapters/cli/sample-inventory.js';
import { exitCodes } from '../../../adapters/commands/exit-codes.js';
import { isSharedCommand, runCommand } from '../../../adapters/commands/run-command.js';
import { sourceFormats } from '../../../adapters/sources/formats.js';
import { parseCommand, type Surface } from '../../../src/commands/grammar.js';
import { splitCommandLine } from '../../../src/commands/split-command-line.js';
import { Policy } from '../../../src/policy/policy.js';
import type { ActorKey } from '../../../src/ports/attestation-store.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { auditEvents } from '../../storage/support/loop-state.js';
import { projectRoot } from '../../support/fixtures.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { secretShapes } from '../../support/secret-shapes.js';

/*
 * Approvals through the one grammar, on the command line and in chat, over the sample inventory: what a person
 * types, what they read back, the exit code, and what the store holds after (nothing, for a refusal).
 */

const at = '2026-11-28T09:00:00Z';
const policy = Policy.parse({ admins: ['jonas.berg@northwind.example', 'marta.kowalska@northwind.example'] });
const tom = 'tom.okafor@northwind.example';
const priya = 'priya.shah@northwind.example';
const pasted = secretShapes.slackBotToken();

async function sample(): Promise<SqliteStore> {
  const store = memoryStore();
  await loadSampleInventoryIfEmpty(store, fixedClock(at));
  return store;
}

async function steward(store: SqliteStore, line: string, options: { surface?: Surface; actor?: ActorKey; at?: string } = {}) {
  const surface = options.surface ?? 'cli';
  const parsed = parseCommand(splitCommandLine(line) ?? [], surface, surface === 'chat' ? { invocation: '/steward' } : {});
  if (!parsed.ok) return { code: exitCodes.badInput, out: '', err: parsed.message };
  if (!isSharedCommand(parsed.command)) throw new Error(`${line} is not a shared command`);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(parsed.command, {
    surface,
    clock: fixedClock(options.at ?? at),
    policy,
    actor: 'test',
    ...(options.actor === undefined ? {} : { chatActor: options.actor }),
    io: { out: (text) => out.push(text), err: (text) => err.push(text) },
    openStore: async () => store,
    formats: sourceFormats,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const requests = (store: SqliteStore) => auditEvents(store, { action: 'approval.requested' }).length;

describe('request, approvals and decide on the command line', () => {
  it('when a scope change is asked, listed, refused to the wrong people and approved once, then each says so and exits accordingly', async () => {
    const store = await sample();
    const asked = await steward(store, `request scope_change ledger-db-migrator --scopes "ddl:ledger dml:ledger" --reason "backfills write rows" --as ${tom}`);
    expect(asked).toEqual({ code: 0, out: "Request #1 scope change of identity ledger-db-migrator goes to the payments team's channel; it waits for priya.shah@northwind.example.", err: '' });
    expect((await steward(store, 'approvals --pending')).out).toContain('Pending: waiting for an approval from priya.shah@northwind.example');
    expect(await steward(store, `decide 1 approve --as ${tom}`)).toMatchObject({ code: 1, err: expect.stringContaining('separation of duties') });
    expect(await steward(store, 'decide 1 approve --as alice.nguyen@northwind.example')).toMatchObject({ code: 1, err: expect.stringMatching(/^Only priya\.shah@northwind\.example can decide #1/) });
    expect(await steward(store, `decide 1 approve --as ${priya} --reason "for the backfill"`)).toMatchObject({ code: 0, out: expect.stringMatching(/^You approved #1 scope change/) });
    expect(await steward(store, `decide 1 approve --as ${priya}`)).toMatchObject({ code: 1, err: expect.stringContaining('was already approved by priya.shah@northwind.example') });
    const listed = JSON.parse((await steward(store, 'approvals --json')).out) as { total: number; requests: Array<Record<string, unknown>> };
    expect(listed.requests[0]).toMatchObject({ id: 1, status: 'approved', decidedBy: priya, votes: [{ by: priya, vote: 'approve', reason: 'for the backfill' }] });
    expect((await steward(store, 'history ledger-db-migrator')).out).toMatch(/asked for request #1 \(scope change\) scopes ddl:ledger → ddl:ledger dml:ledger: backfills write rows[\s\S]*approved request #1 \(scope change\): for the backfill[\s\S]*scopes changed by request #1/);
  });

  it.each([
    ['an unknown ref', `request rotation ledger-db-migratr --as ${tom}`, /^No API or identity has the ref ledger-db-migratr \(did you mean `ledger-db-migrator`\?\)/],
    ['an invalid scope', `request scope_change ledger-db-migrator --scopes 'ddl:"ledger"' --reason x --as ${tom}`, /^A scope is one word of visible characters/],
    ['an over-long reason', `request scope_change ledger-db-migrator --scopes dml:ledger --reason "${'x'.repeat(2001)}" --as ${tom}`, /^Keep it to 2,000 characters \(this is 2,001\)\.$/],
    ['a pasted secret in the justification', `request scope_change ledger-db-migrator --scopes dml:ledger --reason "token ${pasted}" --as ${tom}`, /^That looks like a Slack token; Steward never stores secrets, so nothing was recorded/],
    ['a kind that is none', `request rotate-all ledger-db-migrator --as ${tom}`, /is not a kind of request/],
    ['a scope change without scopes', `request scope_change ledger-db-migrator --reason x --as ${tom}`, /^a scope change needs --scopes/],
  ])('when a request has %s, then it is refused in words, exit 2, and nothing is asked', async (_what, line, message) => {
    const store = await sample();
    const { code, err, out } = await steward(store, line);
    expect({ code, out }).toEqual({ code: exitCodes.badInput, out: '' });
    expect(err).toMatch(message);
    expect(err).not.toContain(pasted);
    expect(requests(store)).toBe(0);
  });

  it('when the only approver is the requester and no admin is someone else, then the request is refused, naming what would fix it', async () => {
    const store = await sample();
    const alone = Policy.parse({ admins: [priya] });
    const parsed = parseCommand(splitCommandLine(`request scope_change github-deploy-token --scopes contents:write --reason "release tags" --as ${priya}`) ?? [], 'cli');
    if (!parsed.ok || !isSharedCommand(parsed.command)) throw new Error('unparsed');
    const err: string[] = [];
    const code = await runCommand(parsed.command, { surface: 'cli', clock: fixedClock(at), policy: alone, actor: 'test', io: { out: () => undefined, err: (t) => err.push(t) }, openStore: async () => store, formats: sourceFormats });
    expect(code).toBe(exitCodes.findings);
    expect(err.join('\n')).toMatch(/^Nobody but you could approve this for github-deploy-token/);
  });

  it("when the only approver is the requester, then it goes to the security channel for the admins, and an admin's approval applies it", async () => {
    const store = await sample();
    const asked = await steward(store, `request scope_change github-deploy-token --scopes "contents:write deployments:write" --reason "release tags" --as ${priya}`);
    expect(asked.out).toBe('Request #1 scope change of identity github-deploy-token goes to the security channel; it waits for jonas.berg@northwind.example or marta.kowalska@northwind.example.');
    expect((await steward(store, 'decide 1 approve --as jonas.berg@northwind.example')).code).toBe(0);
  });
});

describe('the same commands in chat, as the speaker', () => {
  it('when Tom offers ledger-api to Alice in chat and Alice accepts, then it is hers; --as is not for chat', async () => {
    const store = await sample();
    const tomInChat = { email: tom };
    expect((await steward(store, `transfer ledger-api --to alice.nguyen@northwind.example --as ${priya}`, { surface: 'chat', actor: tomInChat })).code).toBe(exitCodes.badInput);
    const offered = await steward(store, 'transfer ledger-api --to alice.nguyen@northwind.example --reason "she runs it now"', { surface: 'chat', actor: tomInChat });
    expect(offered.out).toContain('alice.nguyen@northwind.example is asked to accept it');
    const accepted = await steward(store, 'decide 1 accept', { surface: 'chat', actor: { email: 'alice.nguyen@northwind.example' } });
    expect(accepted.out).toBe('You accepted #1 ownership transfer of API ledger-api: ledger-api is yours now, and you will be asked to confirm it.');
  });

  it('when a request waits for someone, then `mine` lists it for them as waiting for their decision, and not once they decided', async () => {
    const store = await sample();
    await steward(store, 'request scope_change ledger-db-migrator --scopes "ddl:ledger dml:ledger" --reason "backfills"', { surface: 'chat', actor: { email: tom } });
    await steward(store, 'transfer ledger-api --to alice.nguyen@northwind.example', { surface: 'chat', actor: { email: tom } });
    const priyas = await steward(store, 'mine', { surface: 'chat', actor: { email: priya } });
    expect(priyas.out).toMatch(/^Priya Shah <priya\.shah@northwind\.example>: 0 attestations waiting for your answer · 1 request waiting for your decision · /);
    expect(priyas.out).toContain('Waiting for your decision:\n  #1 scope change of identity ledger-db-migrator · asked by tom.okafor@northwind.example on 2026-11-28');
    expect((await steward(store, 'mine', { surface: 'chat', actor: { email: 'alice.nguyen@northwind.example' } })).out).toContain('#2 ownership transfer of API ledger-api · asked by tom.okafor@northwind.example on 2026-11-28 · offered to you');
    expect((await steward(store, 'mine', { surface: 'chat', actor: { email: tom } })).out).not.toContain('Waiting for your decision');
    await steward(store, 'decide 1 approve', { surface: 'chat', actor: { email: priya } });
    expect((await steward(store, 'mine', { surface: 'chat', actor: { email: priya } })).out).not.toContain('Waiting for your decision');
  });

  it('when someone delegates in chat, then it is said until when, and an end date too far is refused', async () => {
    const store = await sample();
    expect((await steward(store, 'delegate --to alice.nguyen@northwind.example --until 2026-12-10 --reason "parental leave"', { surface: 'chat', actor: { email: tom } })).out).toBe(
      "Until 2026-12-10, tom.okafor@northwind.example's prompts, reminders and approvals go to alice.nguyen@northwind.example. It ends by itself.",
    );
    expect((await steward(store, 'delegate --to alice.nguyen@northwind.example --until 2027-12-10', { surface: 'chat', actor: { email: tom } })).err).toBe('A delegation lasts at most 90 days; for longer, transfer the items.');
    expect((await steward(store, 'delegate --end', { surface: 'chat', actor: { email: tom } })).out).toMatch(/^Delegation ended/);
  });
});

describe('check and an approved exception that waives a gate rule', () => {
  it('when an exception waives expires for an identity until a date, then check lists it as waived and fails only on the rest, until the date passes', async () => {
    const store = await sample();
    const identities = path.join(projectRoot, 'samples/inventory/identities.csv');
    const asked = await steward(store, 'request exception partner-acme-client --rule expires --until 2027-01-15 --reason "ACME rotates to short-lived tokens in January" --as jonas.berg@northwind.example');
    expect(asked.code).toBe(0);
    expect((await steward(store, 'decide 1 approve --as marta.kowalska@northwind.example')).code).toBe(0);

    const during = await steward(store, `check ${identities}`);
    expect(during.code).toBe(exitCodes.findings);
    expect(during.err).toContain('partner-acme-client: no expiry — waived until 2027-01-15 by exception #1');
    expect(during.out).not.toMatch(/partner-acme-client: no expiry/);
    expect(during.out).toMatch(/partner-acme-client: no accountable person/);

    const after = await steward(store, `check ${identities}`, { at: '2027-01-16T09:00:00Z' });
    expect(after.out).toMatch(/partner-acme-client: no expiry/);
  });
});
