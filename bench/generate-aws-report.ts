import fs from 'node:fs';
import { once } from 'node:events';
import { randomSource } from './generate-inventory.js';

/** The 22 columns of an AWS IAM credential report, in the documented order (FORMATS.md, section 2). */
export const credentialReportHeader = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
] as const;

const account = '123456789012';
const regions = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'N/A'];
const services = ['s3', 'sts', 'ec2', 'ecr', 'iam', 'dynamodb', 'lambda'];
const words = ['ledger', 'payments', 'search', 'profile', 'orders', 'billing', 'catalog', 'shipping', 'identity', 'reports', 'events', 'pricing'];

/**
 * Writes a credential report of `users` IAM users (and the root row) in the format real exports use: ISO times with
 * +00:00, lowercase booleans, N/A and no_information where there is no value. Most users are workloads with one
 * access key (some with two, mid-rotation, some deactivated); one in five is a person who signs in with a password,
 * a quarter of whom also hold a key; a few have a signing certificate. Seeded, so every run writes the same report.
 */
export async function generateCredentialReport(file: string, users: number, seed = 7): Promise<void> {
  const random = randomSource(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const time = (fromYear: number, years: number) => {
    const ms = Date.UTC(fromYear, 0, 1) + Math.floor(random() * years * 365 * 86_400) * 1000;
    return `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
  };
  const key = (held: boolean): string[] => {
    if (!held) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
    const active = random() < 0.9;
    const used = random() < 0.85;
    return [active ? 'true' : 'false', time(2020, 6), used ? time(2025, 1) : 'N/A', used ? pick(regions) : 'N/A', used ? pick(services) : 'N/A'];
  };

  const out = fs.createWriteStream(file);
  out.write(`${credentialReportHeader.join(',')}\n`);
  out.write(`<root_account>,arn:aws:iam::${account}:root,2019-03-04T17:21:09+00:00,not_supported,2025-05-28T09:12:44+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`);
  let buffer = '';
  for (let i = 0; i < users; i += 1) {
    const person = random() < 0.2;
    const user = person ? `${pick(words)}.person${i}` : `svc-${pick(words)}-${i}`;
    const path = person || random() < 0.7 ? '' : `${pick(['ci', 'batch', 'legacy'])}/`;
    const firstKey = person ? random() < 0.25 : true;
    const secondKey = firstKey && !person && random() < 0.15;
    const cert = random() < 0.02;
    const row = [
      user,
      `arn:aws:iam::${account}:user/${path}${user}`,
      time(2016, 9),
      person ? 'true' : 'false',
      person ? (random() < 0.9 ? time(2025, 1) : 'no_information') : 'N/A',
      person ? time(2024, 2) : 'N/A',
      'N/A',
      person && random() < 0.8 ? 'true' : 'false',
      ...key(firstKey),
      ...key(secondKey),
      cert ? 'true' : 'false', cert ? time(2019, 5) : 'N/A',
      'false', 'N/A',
    ];
    buffer += `${row.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
