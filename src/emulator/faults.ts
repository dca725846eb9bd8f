/**
 * @module emulator/faults
 * Infrastructure faults the emulator can inject per model, so tests can prove the harness calls them `error`
 * (or `fail`, where the malformed thing is the endpoint's answer) and leaves every other cell alone.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pause, sendJson } from './wire.ts';

export type FaultKind =
  /** Close the connection before any response head. */
  | 'reset-before-headers'
  /** Send the head and part of a stream, then drop the connection. */
  | 'reset-mid-stream'
  /** Answer only after `delayMs`. */
  | 'slow'
  /** 429, with `Retry-After: retryAfterS` when given. */
  | 'throttle'
  /** 500 or 503 (`status`). */
  | 'server-error'
  /** A 200 whose JSON body is malformed in its middle (a body cut short is the transport's: cut-json.ts). */
  | 'malformed-json'
  /** An SSE body that ends inside an event (the connection closes cleanly). */
  | 'truncated-sse'
  /** An SSE error frame mid-stream. */
  | 'sse-error-frame'
  /** A body of `bytes` bytes. */
  | 'oversized';

export interface FaultSpec {
  kind: FaultKind;
  /** Only requests whose path matches. */
  path?: RegExp;
  /** Only streamed requests (`stream: true`), or only plain ones. */
  stream?: boolean;
  /** Only requests whose body contains this text. */
  bodyIncludes?: string;
  /** Affect only the first `times` matching requests, then behave. @default every request */
  times?: number;
  status?: 500 | 503;
  retryAfterS?: number;
  delayMs?: number;
  bytes?: number;
}

/** Faults that change how a normal answer streams, rather than replacing it. */
export const STREAM_FAULTS: ReadonlySet<FaultKind> = new Set(['truncated-sse', 'sse-error-frame']);

/**
 * Applies a replacing fault. Returns true when the request was answered (or dropped) here.
 */
export async function applyFault(fault: FaultSpec, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'reset-before-headers':
      req.socket.destroy();
      return true;
    case 'reset-mid-stream':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"id":"chatcmpl-cut","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}\n\n');
      await pause(20, res);
      req.socket.destroy();
      return true;
    case 'slow':
      await pause(fault.delayMs ?? 5_000, res);
      return false;
    case 'throttle':
      sendJson(
        res,
        429,
        { error: { code: 'throttling_error', message: 'Too many tokens, please wait before trying again.', param: null, type: 'rate_limit_error' } },
        fault.retryAfterS !== undefined ? { 'retry-after': String(fault.retryAfterS) } : {},
      );
      return true;
    case 'server-error': {
      const status = fault.status ?? 500;
      sendJson(res, status, { error: { code: status === 503 ? 'service_unavailable' : 'internal_error', message: status === 503 ? 'Service unavailable' : 'Internal server error', param: null, type: 'server_error' } });
      return true;
    }
    case 'malformed-json': {
      // Broken in its middle, not cut: a body that only ends too soon is an answer cut on the way (retried, an outage).
      const text = '{"id":"chatcmpl-broken","object":"chat.completion","created":1790166400,,"choices":[{"index":0,"message":{"role":"assistant","content":"Hello"}}]}';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    }
    case 'oversized': {
      const total = fault.bytes ?? 16 * 1024 * 1024;
      res.writeHead(200, { 'content-type': 'application/json' });
      const block = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      res.write('{"padding":"');
      while (sent < total && !res.destroyed) {
        if (!res.write(block)) {
          // Whichever comes first takes the other listener away: one per full buffer would pile up on the response.
          await new Promise<void>((resolve) => {
            const go = () => {
              res.off('drain', go).off('close', go);
              resolve();
            };
            res.once('drain', go).once('close', go);
          });
        }
        sent += block.length;
      }
      res.end('"}');
      return true;
    }
    default:
      return false;
  }
}
