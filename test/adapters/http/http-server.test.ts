import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { type HttpServer, startHttpServer } from '../../../adapters/http/http-server.js';

let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = (path: string, method = 'GET') => fetch(`http://127.0.0.1:${server?.port}${path}`, { method });

describe('startHttpServer', () => {
  test('when started on port 0, then it listens on a free port it reports', async () => {
    server = await startHttpServer(0);

    expect(server.port).toBeGreaterThan(0);
  });

  test('when GET /healthz, then 200 with {"status":"ok"} as JSON', async () => {
    server = await startHttpServer(0);

    const response = await get('/healthz');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('when a query string is added, then it is still the health check', async () => {
    server = await startHttpServer(0);

    expect((await get('/healthz?probe=liveness')).status).toBe(200);
  });

  test('when the process is not healthy, then 503', async () => {
    server = await startHttpServer(0, () => false);

    const response = await get('/healthz');

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable' });
  });

  test('when a part of the process reports itself degraded, then 503 with the reason in the JSON body', async () => {
    server = await startHttpServer(0, () => ({ ok: false, reason: 'Slack revoked the bot token (tokens_revoked)' }));

    const response = await get('/healthz');

    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'degraded', reason: 'Slack revoked the bot token (tokens_revoked)' });
  });

  test('when every part reports itself ok, then 200', async () => {
    server = await startHttpServer(0, () => ({ ok: true }));

    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
  });

  test.each([
    ['GET', '/'],
    ['GET', '/healthz/extra'],
    ['POST', '/healthz'],
  ])('when %s %s, then 404', async (method, path) => {
    server = await startHttpServer(0);

    expect((await get(path, method)).status).toBe(404);
  });

  test('when closed with a client still connected, then it closes promptly and frees the port', async () => {
    server = await startHttpServer(0);
    const { port } = server;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));

    await server.close();
    server = undefined;

    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    socket.destroy();
  });

  test('when the port is taken, then starting fails with EADDRINUSE for serve to explain', async () => {
    server = await startHttpServer(0);

    await expect(startHttpServer(server.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
