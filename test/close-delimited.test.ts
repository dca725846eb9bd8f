/**
 * A body with no length (HTTP/1.0, `Connection: close`) is judged only when whole (socket-reset.ts), and every whole
 * one is still judged (review of 528aa1ee): an error answered as an event stream is read as the error it is (the
 * stream rule is for a 2xx stream), a body is held to parse as JSON only when it says it is JSON, and a line of
 * spaces after the last event opens none. Cut ones stay HARNESS_STREAM_CUT.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../src/transport/auth/create-auth.ts';
import { sendHttp } from '../src/transport/http-exchange.ts';

/** What the raw server answers next: a status, a content type and a body, then it closes the connection (FIN). */
let next = { status: 200, type: 'application/json', body: '{}' };
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((socket) => {
    socket.once('data', () => {
      socket.write(`HTTP/1.0 ${next.status} X\r\ncontent-type: ${next.type}\r\nconnection: close\r\n\r\n`);
      socket.end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function answered(status: number, type: string, body: string) {
  next = { status, type, body };
  return sendHttp({ method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{"stream":true}' }, { step: 'main', prefix: '/v1' }, { baseUrl: url, auth: createAuth({ kind: 'none', apiKeyEnv: 'X' }) });
}

describe('a whole close-delimited body is judged', () => {
  it.each([
    ['a 400 JSON error labelled text/event-stream', 400, 'text/event-stream', '{"error":{"message":"bad temperature","type":"invalid_request_error"}}'],
    ['a 429 text labelled text/event-stream', 429, 'text/event-stream', 'Too many requests'],
    ['a text/plain 400 that only looks like JSON', 400, 'text/plain', '{bad request}'],
    ['NDJSON', 200, 'application/x-ndjson', '{"a":1}\n{"b":2}\n'],
    ['a stream with a line of spaces after its last event', 200, 'text/event-stream', 'data: {"x":1}\n\ndata: [DONE]\n\n \n'],
    ['a stream ending between events, CRLF', 200, 'text/event-stream', 'data: {"x":1}\r\n\r\ndata: [DONE]\r\n\r\n'],
    ['JSON with a trailing line break', 200, 'application/json; charset=utf-8', '{"id":"x","choices":[]}\n'],
  ])('%s', async (_name, status, type, body) => {
    const exchange = await answered(status, type, body);
    expect(exchange.error?.code).not.toBe('HARNESS_STREAM_CUT');
    expect(exchange.response?.status).toBe(status);
  });
});

describe('a cut close-delimited body is not', () => {
  it.each([
    ['half a stream', 200, 'text/event-stream', 'data: {"x":1}\n\ndata: {"y"'],
    ['a last event followed by a line of spaces, not an empty line (the parser never dispatches it)', 200, 'text/event-stream', 'data: {"x":1}\n   \n'],
    ['half the JSON of a JSON answer', 200, 'application/json', '{"id":"x","choi'],
    ['half the JSON of a JSON error', 400, 'application/json', '{"error":{"message":"bad'],
  ])('%s: HARNESS_STREAM_CUT', async (_name, status, type, body) => {
    expect((await answered(status, type, body)).error?.code).toBe('HARNESS_STREAM_CUT');
  });
});
