import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TeamsSettings } from '../../../adapters/config/environment.js';
import { checkTeamsCredentials } from '../../../adapters/teams/teams-auth.js';
import { InputError } from '../../../src/errors.js';
import { msalCredentialsFactory } from '../../support/bot-framework-auth.js';
import { startFakeBotConnector, type FakeBotConnector } from '../../support/fake-bot-connector.js';

/*
 * Teams' credentials are checked with Entra ID when Steward starts, as Slack's token is with auth.test: the bot's own
 * token is asked for once (from the fake's Entra ID, through the real MSAL), and a refusal stops `serve` naming the
 * variable to fix, never a value.
 */

let fake: FakeBotConnector;
beforeAll(async () => {
  fake = await startFakeBotConnector();
});
afterAll(async () => fake.close());

const settings = (): TeamsSettings => ({ appId: fake.appId, appPassword: fake.appPassword, tenantId: fake.tenantId, appType: 'SingleTenant', unauthenticated: false });

describe('the Teams credentials at start', () => {
  test('when the app id and client secret are the registration\'s, then one token is asked for, granted, and Steward starts', async () => {
    const before = fake.tokenRequests.length;

    await checkTeamsCredentials(settings(), fake.overrides);

    expect(fake.tokenRequests.slice(before)).toMatchObject([{ clientId: fake.appId, granted: true, grantType: 'client_credentials' }]);
  });

  test('when the client secret is wrong, then it stops with one line naming MICROSOFT_APP_PASSWORD and Entra\'s code, never the secret', async () => {
    const wrong = 'not-the-secret-~8Q.abcdefghijklmnop';
    const overrides = { ...fake.overrides, credentialsFactory: msalCredentialsFactory({ appId: fake.appId, appPassword: wrong, loginTo: fake.url }) };

    const refusal = await checkTeamsCredentials({ ...settings(), appPassword: wrong }, overrides).then(
      () => null,
      (error: unknown) => error,
    );

    expect(refusal).toBeInstanceOf(InputError);
    expect((refusal as Error).message).toMatch(/^MICROSOFT_APP_PASSWORD was refused by Microsoft Entra ID \(invalid_client, AADSTS7000215\)/);
    expect((refusal as Error).message).not.toContain(wrong);
  });

  test('when Entra ID cannot be reached, then it stops saying so, not blaming a variable', async () => {
    const gone = await startFakeBotConnector();
    const overrides = gone.overrides;
    await gone.close();

    await expect(checkTeamsCredentials({ ...settings(), appId: gone.appId, appPassword: gone.appPassword }, overrides)).rejects.toThrow(/^Steward could not reach Microsoft Entra ID/);
  });

  test('when Teams runs in development mode, then there is nothing to check and nothing is asked', async () => {
    const before = fake.tokenRequests.length;

    await checkTeamsCredentials({ appId: null, appPassword: null, tenantId: null, appType: 'SingleTenant', unauthenticated: true }, fake.overrides);

    expect(fake.tokenRequests.length).toBe(before);
  });
});
