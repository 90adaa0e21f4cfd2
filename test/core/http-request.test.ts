import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { httpRequest } from '../../src/core/http-request.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('httpRequest (node:http, for the guard)', () => {
  const routes = new Map<string, Handler>();
  let server: Server;
  let base: string;

  before(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => routes.get(request.url ?? '')?.(request, body, response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  });

  it('sends the method, headers and body, and returns the status and text', async () => {
    routes.set('/echo', (request, body, response) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ method: request.method, type: request.headers['content-type'], auth: request.headers.authorization, body }));
    });
    const answer = await httpRequest(`${base}/echo`, { method: 'POST', headers: { authorization: 'Basic dTpz', 'content-type': 'application/json' }, body: '{"events":["é"]}' });
    assert.equal(answer.status, 201);
    assert.equal(answer.ok, true);
    assert.deepEqual(JSON.parse(answer.text), { method: 'POST', type: 'application/json', auth: 'Basic dTpz', body: '{"events":["é"]}' });
  });

  it('returns an error status with its body instead of throwing', async () => {
    routes.set('/refuse', (_request, _body, response) => {
      response.writeHead(422);
      response.end('{"refused":1}');
    });
    const answer = await httpRequest(`${base}/refuse`);
    assert.equal(answer.status, 422);
    assert.equal(answer.ok, false);
    assert.equal(answer.text, '{"refused":1}');
  });

  it('rejects with the socket error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => { resolve(); }));
    await assert.rejects(httpRequest(`http://127.0.0.1:${port}/`), (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');
  });

  it('rejects with the signal reason when the server does not answer in time', async () => {
    routes.set('/silent', () => undefined);
    await assert.rejects(httpRequest(`${base}/silent`, { signal: AbortSignal.timeout(100) }), (error: Error) => error.name === 'TimeoutError');
  });

  it('cuts off an answer longer than maxBytes', async () => {
    routes.set('/huge', (_request, _body, response) => {
      response.writeHead(200);
      response.end(Buffer.alloc(64 * 1024, 0x41));
    });
    await assert.rejects(httpRequest(`${base}/huge`, { maxBytes: 1024 }), /more than 1024 bytes/u);
    const answer = await httpRequest(`${base}/huge`, { maxBytes: 64 * 1024 });
    assert.equal(answer.text.length, 64 * 1024);
  });

  it('rejects an answer the server breaks off', async () => {
    routes.set('/torn', (_request, _body, response) => {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('partial');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    await assert.rejects(httpRequest(`${base}/torn`));
  });

  it('refuses a URL scheme it cannot speak', async () => {
    await assert.rejects(httpRequest('ftp://127.0.0.1/'), /ftp: URLs are not supported/u);
  });
});
