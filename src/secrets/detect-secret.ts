/**
 * Recognises values that look like secrets, so they can be refused before they are stored or logged (OWASP NHI2:2025).
 * Steward inventories credentials by their metadata; a secret value in an import is a leak, not data.
 *
 * The answer names the kind of secret, never the value. Patterns follow the well-known token formats
 * (AWS, Slack, GitHub, GitLab, Google, Stripe, PEM private keys, JWTs) plus an entropy test for fields named like a secret.
 */
export type SecretKind =
  | 'aws_secret_access_key'
  | 'slack_token'
  | 'slack_webhook'
  | 'github_token'
  | 'gitlab_token'
  | 'stripe_key'
  | 'google_api_key'
  | 'google_oauth_token'
  | 'private_key'
  | 'jwt'
  | 'high_entropy_secret';

export const secretKindDescriptions: Readonly<Record<SecretKind, string>> = {
  aws_secret_access_key: 'an AWS secret access key',
  slack_token: 'a Slack token',
  slack_webhook: 'a Slack incoming-webhook URL',
  github_token: 'a GitHub token',
  gitlab_token: 'a GitLab token',
  stripe_key: 'a Stripe live key',
  google_api_key: 'a Google API key',
  google_oauth_token: 'a Google OAuth token or client secret',
  private_key: 'a private key',
  jwt: 'a JSON Web Token',
  high_entropy_secret: 'a secret (a high-entropy value in a field named like a secret)',
};

// The shortest pattern below (a Slack token) is 15 characters; anything shorter cannot match, which keeps
// the common case (enums, dates, short names) to a single length test on million-row imports.
const shortestSecretLength = 15;

const patterns: ReadonlyArray<readonly [SecretKind, RegExp]> = [
  ['private_key', /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/],
  ['slack_token', /\bxox[abposre]-[0-9A-Za-z-]{10,}|\bxapp-\d-[0-9A-Za-z-]{10,}/],
  ['slack_webhook', /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{20,}/],
  ['github_token', /\bgh[pousr]_[A-Za-z0-9]{36,}|\bgithub_pat_[A-Za-z0-9_]{22,}/],
  ['gitlab_token', /\bglpat-[0-9A-Za-z_-]{20,}/],
  // Live secret and restricted keys; test-mode keys (sk_test_) move no money and are left alone.
  ['stripe_key', /\b[sr]k_live_[0-9A-Za-z]{24,}/],
  ['google_api_key', /\bAIza[0-9A-Za-z_-]{35}/],
  ['google_oauth_token', /\bya29\.[0-9A-Za-z_-]{20,}|\bGOCSPX-[0-9A-Za-z_-]{20,}/],
  ['jwt', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
];

// One pass that rules out every pattern at once: the common answer on a large import is "no secret".
const anyPattern = new RegExp(patterns.map(([, pattern]) => `(?:${pattern.source})`).join('|'));

// An AWS secret access key is 40 characters of base64. Refs, ARNs and hashes can be 40 characters long too,
// so we also ask for the mix of upper case, lower case and digits a random key has, and for high entropy.
// A `=` may come before the key (`AWS_SECRET_ACCESS_KEY=…`, the commonest way one is pasted) but not after it
// (base64 padding: the 40 characters are then the tail of a longer blob).
const awsSecretCandidate = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const awsSecretPresent = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/;

// Names of fields that hold secrets; the AWS credential report's `access_key_1_active` and the like carry
// booleans and dates, which the entropy test below never mistakes for secrets.
const secretFieldName = /secret|passw(?:or)?d|\bpwd\b|token|api[_-]?key|private[_-]?key|credential|(?:^|[_.\-/ ])key$/i;

// Values with a recognisable non-secret shape: dates, UUIDs, URLs without credentials, ARNs, emails.
const benignShape =
  /^(?:\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|https?:\/\/[^\s:@]+|arn:aws[\w-]*:[^\s]+|[^\s@]+@[^\s@]+\.[^\s@]+)$/i;

/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  const length = [...value].length;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function characterClasses(value: string): number {
  return (/[a-z]/.test(value) ? 1 : 0) + (/[A-Z]/.test(value) ? 1 : 0) + (/\d/.test(value) ? 1 : 0) + (/[^A-Za-z0-9]/.test(value) ? 1 : 0);
}

function looksLikeAwsSecretKey(value: string): boolean {
  if (!awsSecretPresent.test(value)) return false;
  for (const match of value.matchAll(awsSecretCandidate)) {
    const candidate = match[0];
    if (/[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /\d/.test(candidate) && shannonEntropy(candidate) >= 4.2) return true;
  }
  return false;
}

// A field named for something *about* a secret (`secret_name`, `api_key_id`, `vault.io/secrets-path`,
// `secrets[0].name`, `password_policy`, `tokenArn`) holds a name, path or id, which mixes cases and digits as a
// secret does; the entropy test would refuse whole imports over it. The token patterns still apply there.
const aboutASecret = /(?:^|[_.\-/ ])(?:ids?|arn|name|path|ref|url|uri|type|kind|store|source|policy|version|audience|issuer|endpoint|header)$/;
const aboutASecretCamel = /[a-z\d](?:Ids?|Arn|Name|Path|Ref|Url|Uri|Type|Kind|Store|Source|Policy|Version|Audience|Issuer|Endpoint|Header)$/;

// Field names repeat on every row of an import; remember the answer for each.
const namedLikeSecret = new Map<string, boolean>();

function isSecretFieldName(fieldName: string): boolean {
  let answer = namedLikeSecret.get(fieldName);
  if (answer === undefined) {
    answer = secretFieldName.test(fieldName) && !aboutASecret.test(fieldName.toLowerCase()) && !aboutASecretCamel.test(fieldName);
    if (namedLikeSecret.size < 10_000) namedLikeSecret.set(fieldName, answer);
  }
  return answer;
}

// Hex and single-case keys (Datadog's and Twilio's are 32 hex characters) have two character classes, not the
// three the entropy test asks for; they are told apart from words and numbers by their length and their mix.
const singleCaseKey = /^(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{32,}$|^(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z\d]{32,}$/;

function looksLikeNamedSecret(fieldName: string, value: string): boolean {
  if (!isSecretFieldName(fieldName)) return false;
  const trimmed = value.trim();
  if (trimmed.length < 16 || /\s/.test(trimmed) || benignShape.test(trimmed)) return false;
  if (characterClasses(trimmed) >= 3) return shannonEntropy(trimmed) >= 3.5;
  return singleCaseKey.test(trimmed) && shannonEntropy(trimmed) >= 3;
}

/**
 * The kind of secret `value` looks like, or null. `fieldName` is the name the source gave the field
 * (a CSV column, a YAML key); it only matters for the entropy test.
 */
export function detectSecret(fieldName: string, value: string): SecretKind | null {
  if (value.length < shortestSecretLength) return null;
  if (anyPattern.test(value)) for (const [kind, pattern] of patterns) if (pattern.test(value)) return kind;
  if (value.length >= 40 && looksLikeAwsSecretKey(value)) return 'aws_secret_access_key';
  if (looksLikeNamedSecret(fieldName, value)) return 'high_entropy_secret';
  return null;
}
