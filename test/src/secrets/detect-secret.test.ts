import { describe, expect, it } from 'vitest';
import { detectSecret, type SecretKind } from '../../../src/secrets/detect-secret.js';
import { pseudoRandom, secretShapes } from '../../support/secret-shapes.js';

const awsKey = secretShapes.awsSecretAccessKey();

describe('detectSecret: real-shaped secrets are caught', () => {
  const cases: ReadonlyArray<readonly [string, string, string, SecretKind]> = [
    ['an AWS secret access key', 'purpose', awsKey, 'aws_secret_access_key'],
    ['an AWS secret access key pasted as an env-file line', 'recovery_procedure', `AWS_SECRET_ACCESS_KEY=${awsKey}`, 'aws_secret_access_key'],
    ['an AWS secret access key inside a sentence', 'purpose', `rotate with ${awsKey} then restart`, 'aws_secret_access_key'],
    ['a Slack bot token (xoxb)', 'purpose', secretShapes.slackBotToken(), 'slack_token'],
    ['a Slack user token (xoxp)', 'notes', secretShapes.slackUserToken(), 'slack_token'],
    ['a Slack app-level token (xapp)', 'notes', secretShapes.slackAppToken(), 'slack_token'],
    ['a Slack incoming-webhook URL', 'revocation_path', secretShapes.slackWebhookUrl(), 'slack_webhook'],
    ['a GitHub classic token (ghp_)', 'purpose', secretShapes.githubClassicToken(), 'github_token'],
    ['a GitHub fine-grained token (github_pat_)', 'purpose', secretShapes.githubFineGrainedToken(), 'github_token'],
    ['a Google API key (AIza…)', 'purpose', secretShapes.googleApiKey(), 'google_api_key'],
    ['a Google OAuth access token (ya29.)', 'purpose', secretShapes.googleOauthAccessToken(), 'google_oauth_token'],
    ['a Google OAuth client secret (GOCSPX-)', 'purpose', secretShapes.googleClientSecret(), 'google_oauth_token'],
    ['a PKCS#8 private key block', 'recovery_procedure', secretShapes.pemPrivateKey(''), 'private_key'],
    ['an RSA private key block', 'recovery_procedure', secretShapes.pemPrivateKey('RSA '), 'private_key'],
    ['an EC private key block', 'recovery_procedure', secretShapes.pemPrivateKey('EC '), 'private_key'],
    ['an OpenSSH private key block', 'recovery_procedure', secretShapes.pemPrivateKey('OPENSSH '), 'private_key'],
    ['an encrypted private key block', 'recovery_procedure', secretShapes.pemPrivateKey('ENCRYPTED '), 'private_key'],
    ['a Stripe live secret key (sk_live_)', 'purpose', secretShapes.stripeLiveSecretKey(), 'stripe_key'],
    ['a Stripe live restricted key (rk_live_)', 'recovery_procedure', secretShapes.stripeLiveRestrictedKey(), 'stripe_key'],
    ['a Stripe live key inside a sentence', 'notes', `export STRIPE_KEY=${secretShapes.stripeLiveRestrictedKey()} then redeploy`, 'stripe_key'],
    ['a GitLab personal access token (glpat-)', 'purpose', secretShapes.gitlabPersonalAccessToken(), 'gitlab_token'],
    ['a GitLab token inside a sentence', 'notes', `clone with ${secretShapes.gitlabPersonalAccessToken()} as the password`, 'gitlab_token'],
    ['a JWT', 'purpose', secretShapes.jwt(), 'jwt'],
    ['a JWT after "Bearer "', 'notes', `Authorization: Bearer ${secretShapes.jwt()}`, 'jwt'],
    ['a generated password in a column named password', 'password', secretShapes.generatedPassword(), 'high_entropy_secret'],
    ['a generated value in a column named client_secret', 'client_secret', secretShapes.generatedPassword(), 'high_entropy_secret'],
    ['a generated value in a column named token', 'token', pseudoRandom('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789', 32, 40), 'high_entropy_secret'],
    ['a generated value in a column named secret_value', 'secret_value', secretShapes.generatedPassword(), 'high_entropy_secret'],
    ['a generated value in a column named api_key', 'api_key', pseudoRandom('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789', 32, 41), 'high_entropy_secret'],
    ['a hex API key in a column named api_key', 'api_key', secretShapes.hexApiKey(), 'high_entropy_secret'],
    ['a hex auth token in a column named auth_token', 'auth_token', pseudoRandom('0123456789abcdef', 32, 42), 'high_entropy_secret'],
    ['a generated value in a Backstage annotation named like a secret', 'metadata.annotations.acme.com/deploy-token', secretShapes.generatedPassword(), 'high_entropy_secret'],
  ];

  it.each(cases)('when the value is %s, then it is refused as that kind', (_what, field, value, kind) => {
    expect(detectSecret(field, value)).toBe(kind);
  });

  it('when a column is named for something about a secret, then a real token in it is still caught by its pattern', () => {
    expect(detectSecret('secret_name', secretShapes.githubClassicToken())).toBe('github_token');
    expect(detectSecret('secret_path', `AWS_SECRET_ACCESS_KEY=${awsKey}`)).toBe('aws_secret_access_key');
  });

  it('when a secret is surrounded by whitespace, then it is still caught', () => {
    expect(detectSecret('purpose', `  ${secretShapes.githubClassicToken()}\n`)).toBe('github_token');
  });
});

describe('detectSecret: benign values are not caught', () => {
  const gitSha = pseudoRandom('0123456789abcdef', 40, 50);
  const prose =
    'Serves card authorisations for the EU checkout flow; the payments on-call rotates its credentials every quarter ' +
    'and the runbook at https://runbooks.acme.example/payments/revoke explains how to revoke them in an incident.';
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ['an ISO date-time', 'expires', '2027-01-31T09:00:00.000Z'],
    ['an ISO date-time with an offset in a password_* column', 'password_last_changed', '2019-09-27T19:06:38+00:00'],
    ['an ISO date-time in a token_* column', 'token_expires_at', '2027-01-31T09:00:00+02:00'],
    ['a UUID', 'uid', '3f1c2a7e-9b4d-4c1e-8f2a-6d5e4b3c2a1f'],
    ['a UUID in a column named like a token', 'token_id', '3F1C2A7E-9B4D-4C1E-8F2A-6D5E4B3C2A1F'],
    ['an IAM user ARN', 'arn', 'arn:aws:iam::123456789012:user/svc-ci-deploy'],
    ['a Secrets Manager ARN in a column named secret_arn', 'secret_arn', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/payments/db-AbC123'],
    ['an email', 'accountable', 'priya.raman@acme.example.com'],
    ['an email in a column named token_owner', 'token_owner', 'priya.raman@acme.example.com'],
    ['a URL', 'revocation_path', 'https://runbooks.acme.example/payments/revoke-key?step=2#rotate'],
    ['a URL in a column named token_url', 'token_url', 'https://login.acme.example/oauth2/v2.0/token'],
    ['an AWS identity ref', 'ref', 'aws/123456789012/svc-ci-deploy/access-key-1'],
    ['an AWS access key id (an identifier, not a secret)', 'access_key_id', ['AK', 'IA', 'Z7Q3LMV2XR4TPWHN'].join('')],
    ['a git SHA in a non-secret column', 'code_version', gitSha],
    ['a git SHA in a commit column', 'commit', gitSha],
    ['long prose', 'purpose', prose],
    ['a 40-character CamelCase name', 'name', 'PaymentsReconciliationServiceAccount2024'],
    ['a GCP service account email', 'email', 'svc-ci-deploy@acme-prod.iam.gserviceaccount.com'],
    ['a GCP key resource name', 'name', `projects/acme-prod/serviceAccounts/svc-ci-deploy@acme-prod.iam.gserviceaccount.com/keys/${gitSha}`],
    ['a Kubernetes workload identity annotation', 'metadata.annotations.iam.gke.io/gcp-service-account', 'svc-ci-deploy@acme-prod.iam.gserviceaccount.com'],
    ['an SSH public key', 'public_key', `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${pseudoRandom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 43, 51)} ci@acme`],
    ['the credential report boolean access_key_1_active', 'access_key_1_active', 'true'],
    ['the credential report date access_key_1_last_rotated', 'access_key_1_last_rotated', '2025-03-14T10:22:01+00:00'],
    ['the credential report N/A in access_key_1_last_used_date', 'access_key_1_last_used_date', 'N/A'],
    ['the credential report not_supported in password_last_used', 'password_last_used', 'not_supported'],
    ['the credential report no_information in password_last_used', 'password_last_used', 'no_information'],
    ['a scope list in a column named token_scopes', 'token_scopes', 'repo read:org workflow'],
    ['a secret name (a path, not a value) in a column named secret_name', 'secret_name', 'prod/payments/db-password'],
    ['a short value in a password column', 'password', 'false'],
    ['a hex key id in a column named private_key_id', 'private_key_id', gitSha],
    ['a hex key id in a column named apiKeyId', 'apiKeyId', pseudoRandom('0123456789abcdef', 32, 52)],
    ['a long number in a column named token_serial', 'token_serial', '123456789012345678901234567890123'],
    ['a secret’s path in a column named secret_name', 'secret_name', 'prod/payments/DbPassword2024'],
    ['a secret’s resource name in a column named secret_ref', 'secret_ref', 'projects/acme-prod/secrets/payments-db-password/versions/3'],
    ['a Backstage Vault plugin path', 'metadata.annotations.vault.io/secrets-path', 'payments/PaymentsApi-v2'],
    ['a Kubernetes token Secret’s name', 'items[3].secrets[0].name', 'default-token-x7k2p'],
    ['a password policy name', 'password_policy', 'MinLength14-Upper-Lower-Digit'],
    ['a secret store name', 'secret_store', 'AWS-SecretsManager/eu-west-1'],
    ['a token audience', 'token_audience', 'api://AzureADTokenExchange'],
    ['a Stripe test key (not live)', 'notes', ['sk', '_test_', pseudoRandom('abcdefghijklmnopqrstuvwxyz0123456789', 24, 53)].join('')],
    ['a Stripe-like prefix with too short a tail', 'notes', ['sk', '_live_', 'shortname'].join('')],
    ['a name that merely starts like a GitLab token', 'name', ['gl', 'pat-', 'rotation'].join('')],
  ];

  it.each(cases)('when the value is %s, then it is not refused', (_what, field, value) => {
    expect(detectSecret(field, value)).toBeNull();
  });
});
