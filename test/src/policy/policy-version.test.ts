import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Policy } from '../../../src/policy/policy.js';
import { policyText, policyVersion } from '../../../src/policy/policy-version.js';

describe('a policy version and its text', () => {
  it('the text is the parsed policy with its defaults, and anyone can check it against its version', () => {
    const policy = Policy.parse({ securityChannel: '#sec', admins: ['zed@acme.example'] });
    const text = policyText(policy);
    expect(JSON.parse(text)).toMatchObject({ securityChannel: '#sec', admins: ['zed@acme.example'], attestation: expect.any(Object) });
    expect(createHash('sha256').update(JSON.stringify(JSON.parse(text))).digest('hex').slice(0, 12)).toBe(policyVersion(policy));
  });

  it('written in another order, it is the same version and the same text', () => {
    const a = Policy.parse({ securityChannel: '#sec', admins: ['zed@acme.example'] });
    const b = Policy.parse({ admins: ['zed@acme.example'], securityChannel: '#sec' });
    expect(policyVersion(b)).toBe(policyVersion(a));
    expect(policyText(b)).toBe(policyText(a));
    expect(policyVersion(Policy.parse({ securityChannel: '#other' }))).not.toBe(policyVersion(a));
  });
});
