import fs from 'node:fs';
import { once } from 'node:events';

/** A small, seedable PRNG (mulberry32), so every run generates the same inventory. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface InventoryShape {
  readonly apis: number;
  readonly identities: number;
  readonly teams: number;
  readonly people: number;
}

const sensitivities = ['public', 'internal', 'confidential', 'restricted'];
const exposures = ['internal', 'partner', 'public'];
const kinds = ['service_account', 'oauth_client', 'api_key', 'token', 'certificate', 'ssh_key', 'workload_identity'];
const providers = ['aws', 'gcp', 'azure', 'kubernetes', 'github', 'internal'];
const words = ['ledger', 'payments', 'search', 'profile', 'orders', 'billing', 'catalog', 'shipping', 'identity', 'reports', 'events', 'pricing'];

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

async function writeRows(file: string, header: readonly string[], count: number, row: (i: number) => string[]): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write(`${header.join(',')}\n`);
  let buffer = '';
  for (let i = 0; i < count; i += 1) {
    buffer += `${row(i).map(csvField).join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

const day = (random: () => number, fromYear: number, years: number) => {
  const ms = Date.UTC(fromYear, 0, 1) + Math.floor(random() * years * 365) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
};

/**
 * Writes the bench inventory as the documented CSV column sets: APIs with owners, sensitivity and exposure;
 * identities with scopes, dates and the APIs they serve. A few percent of each lack an owner, as in life.
 */
export async function generateInventory(dir: string, shape: InventoryShape, seed = 42): Promise<{ apis: string; identities: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const random = randomSource(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const team = () => `team-${Math.floor(random() * shape.teams)}`;
  const person = () => `person${Math.floor(random() * shape.people)}@example.com`;
  const apis = `${dir}/apis.csv`;
  const identities = `${dir}/identities.csv`;

  await writeRows(
    apis,
    ['ref', 'name', 'purpose', 'data_sensitivity', 'exposure', 'auth_method', 'revocation_path', 'lifecycle', 'owner_team', 'accountable', 'backup', 'depends_on'],
    shape.apis,
    (i) => {
      const word = pick(words);
      const unowned = random() < 0.03;
      return [
        `api-${i}`,
        `${word} API ${i}`,
        `Serves ${word} data to the ${pick(words)} service`,
        pick(sensitivities),
        pick(exposures),
        'OAuth 2.0 client credentials',
        `https://runbooks.example.com/apis/${i}/revoke`,
        'production',
        unowned ? '' : team(),
        unowned || random() < 0.05 ? '' : person(),
        random() < 0.5 ? person() : '',
        i > 0 && random() < 0.5 ? `api-${Math.floor(random() * i)}` : '',
      ];
    },
  );

  await writeRows(
    identities,
    ['ref', 'name', 'kind', 'provider', 'purpose', 'scopes', 'created_at', 'expires_at', 'last_rotated_at', 'last_used_at', 'recovery_procedure', 'status', 'owner_team', 'accountable', 'backup', 'serves'],
    shape.identities,
    (i) => {
      const unowned = random() < 0.02;
      return [
        `nhi-${i}`,
        `${pick(words)} ${pick(kinds).replace('_', ' ')} ${i}`,
        pick(kinds),
        pick(providers),
        `Lets the ${pick(words)} job call the ${pick(words)} API`,
        `${pick(words)}:read ${pick(words)}:write`,
        day(random, 2022, 3),
        day(random, 2026, 3),
        day(random, 2025, 1),
        day(random, 2026, 1),
        `https://runbooks.example.com/identities/${i}/rotate`,
        random() < 0.95 ? 'active' : 'disabled',
        unowned ? '' : team(),
        unowned ? '' : person(),
        random() < 0.3 ? person() : '',
        `api-${Math.floor(random() * shape.apis)}`,
      ];
    },
  );
  return { apis, identities };
}
