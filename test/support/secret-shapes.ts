/*
 * Secret-shaped strings for the tests that must refuse them. They are generated, and their well-known
 * prefixes are assembled from parts, so no secret (real or realistic) appears in the source text for a
 * secret scanner to flag.
 */

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const base62 = upper + lower + digits;
const hex = '0123456789abcdef';

/** A deterministic pseudo-random string (mulberry32), so a failing case can be reproduced. */
export function pseudoRandom(alphabet: string, length: number, seed: number): string {
  let state = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i += 1) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out += alphabet[Math.floor(r * alphabet.length)];
  }
  return out;
}

const join = (...parts: string[]) => parts.join('');

export const secretShapes = {
  awsSecretAccessKey: () => pseudoRandom(`${base62}/+`, 40, 1),
  slackBotToken: () => join('xo', 'xb-', pseudoRandom(digits, 12, 2), '-', pseudoRandom(digits, 13, 3), '-', pseudoRandom(base62, 24, 4)),
  slackUserToken: () => join('xo', 'xp-', pseudoRandom(digits, 12, 5), '-', pseudoRandom(digits, 13, 6), '-', pseudoRandom(hex, 32, 7)),
  slackAppToken: () => join('xa', 'pp-1-A', pseudoRandom(upper + digits, 10, 8), '-', pseudoRandom(digits, 13, 9), '-', pseudoRandom(hex, 64, 10)),
  slackWebhookUrl: () => join('https://hooks.', 'slack.com/services/T', pseudoRandom(upper + digits, 8, 11), '/B', pseudoRandom(upper + digits, 8, 12), '/', pseudoRandom(base62, 24, 13)),
  githubClassicToken: () => join('gh', 'p_', pseudoRandom(base62, 36, 14)),
  githubFineGrainedToken: () => join('github', '_pat_', pseudoRandom(upper + digits, 22, 15), '_', pseudoRandom(base62, 59, 16)),
  googleApiKey: () => join('AI', 'za', pseudoRandom(`${base62}_-`, 35, 17)),
  googleOauthAccessToken: () => join('ya', '29.', pseudoRandom(`${base62}_-`, 120, 18)),
  googleClientSecret: () => join('GOC', 'SPX-', pseudoRandom(`${base62}_-`, 28, 19)),
  pemPrivateKey: (kind: string) =>
    [join('-----BEGIN ', kind, 'PRIV', 'ATE KEY-----'), pseudoRandom(`${base62}/+`, 64, 20), join('-----END ', kind, 'PRIV', 'ATE KEY-----')].join('\n'),
  jwt: () =>
    [
      Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
      Buffer.from('{"sub":"svc-ci-deploy","iat":1767225600}').toString('base64url'),
      pseudoRandom(`${base62}_-`, 43, 21),
    ].join('.'),
  /** A random password of the kind a generator makes: every character class, no spaces. */
  generatedPassword: () => pseudoRandom(`${base62}!#%&*+-=?@^_~`, 24, 22),
  /** A Stripe live secret key: `sk_live_` and 24 or more letters and digits (99 in newer keys). */
  stripeLiveSecretKey: () => join('sk', '_li', 've_', pseudoRandom(base62, 99, 24)),
  /** A Stripe live restricted key (`rk_live_`), at the shortest length Stripe issues. */
  stripeLiveRestrictedKey: () => join('rk', '_li', 've_', pseudoRandom(base62, 24, 25)),
  /** A GitLab personal access token: `glpat-` and 20 characters of letters, digits, `_` and `-`. */
  gitlabPersonalAccessToken: () => join('gl', 'pat-', pseudoRandom(`${base62}_-`, 20, 26)),
  /** A 32-character lowercase hex API key, the shape Datadog and Twilio use. */
  hexApiKey: () => pseudoRandom(hex, 32, 23),
} as const;
