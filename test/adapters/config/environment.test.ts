import { describe, expect, test } from 'vitest';
import { hasChatCredentials, parseCommandEnvironment, parseEnvironment, slackSettings, teamsSettings, webhookSettings } from '../../../adapters/config/environment.js';

/** `env` is refused with one problem matching `problem`, which quotes none of the values. */
function expectOneProblemNaming(env: Record<string, string | undefined>, problem: RegExp) {
  const result = parseEnvironment(env);

  expect(result.ok).toBe(false);
  const problems = result.ok ? [] : result.problems;
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(problem);
  for (const value of Object.values(env)) if (value !== undefined) expect(problems[0]).not.toContain(value);
}

function parsed(env: Record<string, string | undefined>) {
  const result = parseEnvironment(env);
  if (!result.ok) throw new Error(`expected the environment to parse: ${result.problems.join('; ')}`);
  return result.env;
}

describe('parseEnvironment', () => {
  test('when nothing is set, then the documented defaults apply', () => {
    expect(parsed({})).toEqual({ STEWARD_DB: './data/steward.db', PORT: 3000 });
  });

  test.each([
    { PORT: '8080', port: 8080 },
    { PORT: '0', port: 0 },
    { PORT: ' 8080\n', port: 8080 },
    { PORT: '', port: 3000 },
  ])('when PORT is $PORT, then the port is $port', ({ PORT, port }) => {
    expect(parsed({ PORT }).PORT).toBe(port);
  });

  test.each(['abc', '-1', '65536', '1e3', '80.5', '0x50'])('when PORT is %j, then it is refused naming PORT and not the value', (PORT) => {
    const result = parseEnvironment({ PORT });

    expect(result).toEqual({ ok: false, problems: ['PORT: must be a port number from 0 to 65535 (0 picks a free one)'] });
  });

  test('when a token has a bad neighbour, then only the bad variable is named and no value appears', () => {
    const token = 'xoxb-not-a-real-token-but-long-enough';
    const result = parseEnvironment({ SLACK_BOT_TOKEN: token, LOG_LEVEL: 'chatty' });

    expect(result.ok).toBe(false);
    const text = result.ok ? '' : result.problems.join('\n');
    expect(text).toMatch(/^LOG_LEVEL: /);
    expect(text).not.toContain('chatty');
    expect(text).not.toContain(token);
  });

  test('when a value is blank or padded, then it is trimmed, and blank means unset', () => {
    const env = parsed({ STEWARD_DB: '  ', STEWARD_POLICY: ' policy.yaml\n', SLACK_BOT_TOKEN: '   ' });

    expect(env.STEWARD_DB).toBe('./data/steward.db');
    expect(env.STEWARD_POLICY).toBe('policy.yaml');
    expect(env.SLACK_BOT_TOKEN).toBeUndefined();
  });
});

const appId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('hasChatCredentials', () => {
  test.each([
    { env: {}, has: false },
    { env: { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'signing' }, has: true },
    { env: { MICROSOFT_APP_ID: appId, MICROSOFT_APP_PASSWORD: 'client-secret', MICROSOFT_APP_TENANT_ID: tenantId }, has: true },
    { env: { TEAMS_ALLOW_UNAUTHENTICATED: '1' }, has: true },
    { env: { TEAMS_ALLOW_UNAUTHENTICATED: '0' }, has: false },
    { env: { SLACK_SIGNING_SECRET: 'only-the-secret' }, has: false },
  ])('when $env is set, then chat credentials are $has', ({ env, has }) => {
    expect(hasChatCredentials(parsed(env))).toBe(has);
  });
});

describe('Slack settings', () => {
  const botToken = 'xoxb-1111-2222-abcdefabcdef';
  const appToken = 'xapp-1-A111-222-abcdef';

  test('when a bot token and signing secret are set, then Slack runs over HTTP with Slack\'s own API', () => {
    expect(slackSettings(parsed({ SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: 'signing' }))).toEqual({
      botToken,
      mode: 'http',
      signingSecret: 'signing',
      appToken: null,
      apiUrl: null,
      securityChannel: null,
    });
  });

  test('when an app token is set, then Slack runs in Socket Mode and the signing secret is not needed', () => {
    const settings = slackSettings(parsed({ SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, SLACK_API_URL: 'http://127.0.0.1:9/api/', SLACK_SECURITY_CHANNEL: '#security' }));

    expect(settings).toMatchObject({ mode: 'socket', appToken, apiUrl: 'http://127.0.0.1:9/api/', securityChannel: '#security', signingSecret: null });
  });

  test('when no bot token is set, then there are no Slack settings', () => {
    expect(slackSettings(parsed({}))).toBeNull();
  });

  test.each([
    { env: { SLACK_BOT_TOKEN: botToken }, problem: /^SLACK_SIGNING_SECRET: is required with SLACK_BOT_TOKEN/ },
    { env: { SLACK_APP_TOKEN: appToken }, problem: /^SLACK_BOT_TOKEN: is required with SLACK_APP_TOKEN/ },
    { env: { SLACK_BOT_TOKEN: 'xoxp-user-token-pasted-by-mistake', SLACK_SIGNING_SECRET: 'signing-secret-value' }, problem: /^SLACK_BOT_TOKEN: must be a bot token \(it starts with xoxb-\)$/ },
    { env: { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: 'xoxb-wrong-kind-of-token' }, problem: /^SLACK_APP_TOKEN: must be an app-level token/ },
    { env: { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: 'signing-secret-value', SLACK_API_URL: 'proxy.internal:8443' }, problem: /^SLACK_API_URL: must be an http\(s\) URL/ },
  ])('when $env is set, then it is refused naming the variable and never echoing a value', ({ env, problem }) => {
    expectOneProblemNaming(env, problem);
  });
});

describe('Teams settings', () => {
  test('when the app id, password and tenant are set, then Teams runs single-tenant and verifies every request', () => {
    expect(teamsSettings(parsed({ MICROSOFT_APP_ID: appId, MICROSOFT_APP_PASSWORD: ' client-secret\n', MICROSOFT_APP_TENANT_ID: tenantId }))).toEqual({
      appId,
      appPassword: 'client-secret',
      tenantId,
      appType: 'SingleTenant',
      unauthenticated: false,
    });
  });

  test('when only TEAMS_ALLOW_UNAUTHENTICATED=1 is set, then Teams runs in development mode with no home tenant yet', () => {
    expect(teamsSettings(parsed({ TEAMS_ALLOW_UNAUTHENTICATED: '1' }))).toMatchObject({ appId: null, tenantId: null, unauthenticated: true });
  });

  test('when an app id is set, then TEAMS_ALLOW_UNAUTHENTICATED does not turn verification off', () => {
    expect(teamsSettings(parsed({ MICROSOFT_APP_ID: appId, MICROSOFT_APP_PASSWORD: 'client-secret', MICROSOFT_APP_TENANT_ID: tenantId, TEAMS_ALLOW_UNAUTHENTICATED: '1' }))).toMatchObject({ unauthenticated: false });
  });

  test('when nothing of Teams is set, then there are no Teams settings', () => {
    expect(teamsSettings(parsed({}))).toBeNull();
  });

  test.each([
    { env: { MICROSOFT_APP_ID: appId, MICROSOFT_APP_TENANT_ID: tenantId }, problem: /^MICROSOFT_APP_PASSWORD: is required with MICROSOFT_APP_ID/ },
    { env: { MICROSOFT_APP_ID: appId, MICROSOFT_APP_PASSWORD: 'client-secret-value' }, problem: /^MICROSOFT_APP_TENANT_ID: is required with MICROSOFT_APP_ID/ },
    { env: { MICROSOFT_APP_PASSWORD: 'client-secret-value' }, problem: /^MICROSOFT_APP_ID: is required with the other MICROSOFT_APP_ variables/ },
    { env: { MICROSOFT_APP_ID: 'my-bot', MICROSOFT_APP_PASSWORD: 'client-secret-value', MICROSOFT_APP_TENANT_ID: tenantId }, problem: /^MICROSOFT_APP_ID: must be the Azure bot's Microsoft App ID, a GUID/ },
    { env: { MICROSOFT_APP_ID: appId, MICROSOFT_APP_PASSWORD: 'client-secret-value', MICROSOFT_APP_TENANT_ID: tenantId, MICROSOFT_APP_TYPE: 'Azure' }, problem: /^MICROSOFT_APP_TYPE: must be SingleTenant, MultiTenant or UserAssignedMSI$/ },
    { env: { TEAMS_ALLOW_UNAUTHENTICATED: 'yes-please' }, problem: /^TEAMS_ALLOW_UNAUTHENTICATED: must be 1/ },
  ])('when Teams is configured as $env, then it is refused naming the variable and never echoing a value', ({ env, problem }) => {
    expectOneProblemNaming(env, problem);
  });
});

describe('decision webhook settings', () => {
  const secret = 'wh-0123456789abcdef0123456789abcdef';

  test('when neither variable is set, then there is no webhook, and it is no chat platform', () => {
    expect(webhookSettings(parsed({}))).toBeNull();
    expect(hasChatCredentials(parsed({ STEWARD_WEBHOOK_URL: 'https://hooks.corp.example/steward', STEWARD_WEBHOOK_SECRET: secret }))).toBe(false);
  });

  test.each(['https://hooks.corp.example/steward?tenant=acme', 'http://localhost:8080/hooks', 'http://127.0.0.1/hooks', 'http://[::1]:9000/', ' https://hooks.corp.example/steward\n'])(
    'when STEWARD_WEBHOOK_URL is %j with a secret, then decisions go there',
    (url) => {
      expect(webhookSettings(parsed({ STEWARD_WEBHOOK_URL: url, STEWARD_WEBHOOK_SECRET: ` ${secret}\n` }))).toEqual({ url: url.trim(), secret });
    },
  );

  test.each([
    [{ STEWARD_WEBHOOK_URL: 'receiver.acme.example/decisions', STEWARD_WEBHOOK_SECRET: secret }, /^STEWARD_WEBHOOK_URL: must be an absolute http\(s\) URL/],
    [{ STEWARD_WEBHOOK_URL: '/hooks/steward', STEWARD_WEBHOOK_SECRET: secret }, /^STEWARD_WEBHOOK_URL: must be an absolute http\(s\) URL/],
    [{ STEWARD_WEBHOOK_URL: 'ftp://hooks.corp.example/steward', STEWARD_WEBHOOK_SECRET: secret }, /^STEWARD_WEBHOOK_URL: must be an absolute http\(s\) URL/],
    [{ STEWARD_WEBHOOK_URL: 'http://hooks.corp.example/steward', STEWARD_WEBHOOK_SECRET: secret }, /^STEWARD_WEBHOOK_URL: must use https \(plain http is allowed only to localhost, 127\.0\.0\.1 or ::1\)$/],
    [{ STEWARD_WEBHOOK_URL: 'http://localhost.evil.example/', STEWARD_WEBHOOK_SECRET: secret }, /^STEWARD_WEBHOOK_URL: must use https/],
    [{ STEWARD_WEBHOOK_URL: 'https://bot:hunter2-password@hooks.corp.example/', STEWARD_WEBHOOK_SECRET: secret }, /^STEWARD_WEBHOOK_URL: must not carry a user name or password/],
    [{ STEWARD_WEBHOOK_URL: 'https://hooks.corp.example/steward' }, /^STEWARD_WEBHOOK_SECRET: is required with STEWARD_WEBHOOK_URL/],
    [{ STEWARD_WEBHOOK_URL: 'https://hooks.corp.example/steward', STEWARD_WEBHOOK_SECRET: 'short-secret-31-characters-long' }, /^STEWARD_WEBHOOK_SECRET: must be at least 32 characters/],
    [{ STEWARD_WEBHOOK_SECRET: secret }, /^STEWARD_WEBHOOK_URL: is required with STEWARD_WEBHOOK_SECRET/],
  ])('when %j, then serve is refused naming the variable, and no value appears', (env, problem) => {
    expectOneProblemNaming(env, problem);
  });

  test('when the webhook is badly set, then other commands are not stopped by it', () => {
    expect(parseCommandEnvironment({ STEWARD_WEBHOOK_URL: 'http://hooks.corp.example/', STEWARD_WEBHOOK_SECRET: 'short' }).ok).toBe(true);
  });
});

describe('parseCommandEnvironment (every command but serve)', () => {
  test('when PORT or a chat variable is malformed, then a command that does not use them is not stopped by it', () => {
    const result = parseCommandEnvironment({ PORT: 'abc', SLACK_BOT_TOKEN: 'not-a-token', SLACK_API_URL: 'nowhere', STEWARD_DB: '/tmp/x.db' });

    expect(result).toEqual({ ok: true, env: { STEWARD_DB: '/tmp/x.db' } });
  });

  test('when LOG_LEVEL is malformed, then it is refused, naming it: every command logs', () => {
    expect(parseCommandEnvironment({ LOG_LEVEL: 'chatty' })).toEqual({ ok: false, problems: [expect.stringMatching(/^LOG_LEVEL: /)] });
  });
});
