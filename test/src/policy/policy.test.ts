import { describe, expect, it } from 'vitest';
import { defaultPolicy, parsePolicy, type Policy, type PolicyResult } from '../../../src/policy/policy.js';

function policyOf(result: PolicyResult): Policy {
  if (!result.ok) throw new Error(`expected a policy, got: ${JSON.stringify(result.problems)}`);
  return result.policy;
}

function problemsOf(result: PolicyResult): Array<{ field: string; message: string }> {
  if (result.ok) throw new Error('expected the policy to be refused');
  return result.problems.map((p) => ({ field: p.path.join('.'), message: p.message }));
}

describe('parsePolicy: defaults', () => {
  it.each([['an empty object', {}], ['undefined (no file)', undefined], ['null (an empty YAML file)', null]])(
    'when the policy is %s, then every setting has its safe default',
    (_what, input) => {
      const policy = policyOf(parsePolicy(input));
      expect(policy).toEqual(defaultPolicy);
      expect(policy).toMatchObject({
        version: 1,
        timezone: 'UTC',
        securityChannel: null,
        admins: [],
        attestation: {
          cadenceDays: {
            sensitivity: { restricted: 30, confidential: 90, internal: 180, public: 365 },
            exposure: { public: 30, partner: 90, internal: 180 },
            identityKind: { service_account: 90, oauth_client: 90, api_key: 30, token: 30, certificate: 180, ssh_key: 90, workload_identity: 180 },
            unclassified: 90,
          },
          firstWithinDays: 7,
          responseWindowDays: 7,
          reminderOffsetsDays: [2, 5],
          escalation: [
            { afterDays: 7, to: 'backup' },
            { afterDays: 10, to: 'team_lead' },
            { afterDays: 12, to: 'team_channel' },
            { afterDays: 14, to: 'security_channel' },
          ],
          snoozeMaxDays: 30,
        },
        credentials: {
          maxLifetimeDays: { service_account: 730, oauth_client: 365, api_key: 365, token: 90, certificate: 398, ssh_key: 365, workload_identity: 730 },
          rotationDays: { service_account: 365, oauth_client: 180, api_key: 90, token: 30, certificate: 365, ssh_key: 180, workload_identity: 365 },
          expiryWarningDays: [30, 14, 7, 1],
          staleAfterDaysUnused: 90,
        },
        approvals: { defaultApprover: 'team_lead', secondApproverFor: ['restricted'] },
        digest: { cron: '0 9 * * 1', channel: null },
        gate: { api: ['owner_team', 'accountable', 'revocation_path'], identity: ['owner_team', 'accountable', 'purpose', 'expires'] },
      });
    },
  );
});

describe('parsePolicy: partial overrides', () => {
  it('when one cadence is set, then its siblings and every other section keep their defaults', () => {
    const policy = policyOf(parsePolicy({ attestation: { cadenceDays: { sensitivity: { restricted: 14 } } } }));
    expect(policy.attestation.cadenceDays.sensitivity).toEqual({ restricted: 14, confidential: 90, internal: 180, public: 365 });
    expect(policy.attestation.cadenceDays.exposure).toEqual(defaultPolicy.attestation.cadenceDays.exposure);
    expect(policy.attestation.responseWindowDays).toBe(7);
    expect(policy.credentials).toEqual(defaultPolicy.credentials);
  });

  it('when one identity kind’s lifetime is set, then the other kinds keep theirs', () => {
    const policy = policyOf(parsePolicy({ credentials: { maxLifetimeDays: { token: 30 } } }));
    expect(policy.credentials.maxLifetimeDays).toEqual({ ...defaultPolicy.credentials.maxLifetimeDays, token: 30 });
    expect(policy.credentials.rotationDays).toEqual(defaultPolicy.credentials.rotationDays);
  });

  it('when the gate lists its own fields, then exactly those are required', () => {
    const policy = policyOf(parsePolicy({ gate: { api: ['purpose'] } }));
    expect(policy.gate).toEqual({ api: ['purpose'], identity: defaultPolicy.gate.identity });
  });

  it('when the default approver is none, then that is kept', () => {
    expect(policyOf(parsePolicy({ approvals: { defaultApprover: 'none' } })).approvals.defaultApprover).toBe('none');
  });

  it('when admins are named, then they are kept by email, in lower case', () => {
    expect(policyOf(parsePolicy({ admins: ['Sam@ACME.example', ' zed@acme.example '] })).admins).toEqual(['sam@acme.example', 'zed@acme.example']);
  });
});

describe('parsePolicy: refusals name the dotted field', () => {
  it('when a number of days is zero, then the problem names its path', () => {
    expect(problemsOf(parsePolicy({ attestation: { responseWindowDays: 0 } })).map((p) => p.field)).toEqual(['attestation.responseWindowDays']);
  });

  it('when a nested cadence is text, then the problem names its full path', () => {
    expect(problemsOf(parsePolicy({ attestation: { cadenceDays: { sensitivity: { restricted: 'monthly' } } } })).map((p) => p.field)).toEqual([
      'attestation.cadenceDays.sensitivity.restricted',
    ]);
  });

  it('when an escalation step names an unknown target, then the problem names the step by index', () => {
    expect(problemsOf(parsePolicy({ attestation: { escalation: [{ afterDays: 7, to: 'pager' }] } })).map((p) => p.field)).toEqual(['attestation.escalation.0.to']);
  });

  it('when the gate names a field it cannot check, then the problem names the entry', () => {
    expect(problemsOf(parsePolicy({ gate: { identity: ['owner_team', 'colour'] } })).map((p) => p.field)).toEqual(['gate.identity.1']);
  });

  it('when an admin is not an email address, then the problem names the entry', () => {
    expect(problemsOf(parsePolicy({ admins: ['sam@acme.example', 'Sam Smith'] }))).toEqual([{ field: 'admins.1', message: 'is not an email address' }]);
  });

  it('when the version is not 1, then it is refused', () => {
    expect(problemsOf(parsePolicy({ version: 2 })).map((p) => p.field)).toEqual(['version']);
  });

  it('when a key is unknown, then the problem names the key itself', () => {
    expect(problemsOf(parsePolicy({ attestation: { cadence: 30 } }))).toEqual([{ field: 'attestation.cadence', message: 'is not a policy setting' }]);
  });

  it('when an identity kind is misspelt, then the problem names it under its section', () => {
    expect(problemsOf(parsePolicy({ credentials: { maxLifetimeDays: { service_acount: 30 } } })).map((p) => p.field)).toEqual([
      'credentials.maxLifetimeDays.service_acount',
    ]);
  });

  it('when two keys are unknown, then each is named on its own', () => {
    expect(problemsOf(parsePolicy({ timezon: 'UTC', digests: {} })).map((p) => p.field).sort()).toEqual(['digests', 'timezon']);
  });

  it('when the time zone is not an IANA zone, then it is refused naming timezone', () => {
    expect(problemsOf(parsePolicy({ timezone: 'Mars/Olympus' }))).toEqual([{ field: 'timezone', message: 'is not an IANA time zone (e.g. Europe/Paris, UTC)' }]);
  });

  it('when the time zone is a real zone, then it is kept', () => {
    expect(policyOf(parsePolicy({ timezone: 'Europe/Paris' })).timezone).toBe('Europe/Paris');
  });

  it.each(['0 9 * *', 'weekly', '', '61 9 * * 1', '0 9 * * funday'])('when the digest schedule is %j, then it is refused naming digest.cron', (cron) => {
    expect(problemsOf(parsePolicy({ digest: { cron } })).map((p) => p.field)).toEqual(['digest.cron']);
  });

  it('when the digest schedule has six fields, then it is kept', () => {
    expect(policyOf(parsePolicy({ digest: { cron: '0 0 9 * * 1-5' } })).digest.cron).toBe('0 0 9 * * 1-5');
  });

  it('when the policy is not an object, then it is refused', () => {
    expect(parsePolicy('strict').ok).toBe(false);
  });
});
