import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';
import { secretShapes } from '../../support/secret-shapes.js';

/*
 * `steward serve` whose SLACK_API_URL answers 200 with something that is not Slack's answer: a server that echoes
 * the request (its headers hold the bot token), an HTML page, a huge body. The one-line refusal names
 * SLACK_API_URL and never quotes the body: not the token it may echo, not a 200 KB line.
 */

afterAll(removeTempDirs);

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const botToken = secretShapes.slackBotToken();
const signingSecret = 'foreign-answer-signing-secret-2c1d';

/** A local server answering every request with 200 and the body `answer` makes of it. */
async function answering(answer: (request: http.IncomingMessage) => { type: string; body: string }): Promise<string> {
  server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { type, body } = answer(request);
      response.writeHead(200, { 'content-type': type });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
}

const headersAsText = (request: http.IncomingMessage) => Object.entries(request.headers).map(([name, value]) => `${name}: ${String(value)}`).join('\n');

describe('steward serve, when SLACK_API_URL answers 200 with something that is not Slack', () => {
  test.each([
    ['echoes the request headers as text', (r: http.IncomingMessage) => ({ type: 'text/plain', body: headersAsText(r) })],
    ['echoes the request headers as JSON', (r: http.IncomingMessage) => ({ type: 'application/json', body: JSON.stringify(r.headers) })],
    ['puts the headers in a JSON error field', (r: http.IncomingMessage) => ({ type: 'application/json', body: JSON.stringify({ ok: false, error: headersAsText(r) }) })],
    ['puts an object in the JSON error field', (r: http.IncomingMessage) => ({ type: 'application/json', body: JSON.stringify({ ok: false, error: { headers: r.headers } }) })],
    ['answers 200 KB of HTML', () => ({ type: 'text/html', body: `<html><body>${'<p>proxy login page</p>'.repeat(12_800)}</body></html>` })],
  ])('when it %s, then serve exits 2 in one short line naming SLACK_API_URL, quoting neither the body nor the token', async (_case, answer) => {
    const apiUrl = await answering(answer);
    const env = { PORT: '0', SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: apiUrl };

    const result = await runSteward(['serve', '--db', path.join(tempDir(), 'steward.db')], { env });

    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^steward: Slack's Web API at SLACK_API_URL answered auth\.test with an answer that is not Slack's: check SLACK_API_URL/);
    expect(lines[0]?.length).toBeLessThan(300);
    expect(result.stdout + result.stderr).not.toContain(botToken);
    expect(result.stdout + result.stderr).not.toMatch(/authorization|Bearer|proxy login page/i);
    expect(result.stdout).not.toMatch(/on port \d+/);
  });
});
