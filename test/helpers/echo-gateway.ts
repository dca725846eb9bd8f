/**
 * An OpenAI-compatible endpoint on 127.0.0.1 port 0 that echoes what a request carried, as the gateways of the
 * secrets reviews did (a header dump, a request id made of the key, the key cut short in the answer's words): it lists
 * `gw-model` (and `models`), and answers every other request with a chat completion whose content and headers `echo`
 * makes from the request.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Echo {
  /** Headers of every answer, beside `content-type`. */
  headers?: Record<string, string>;
  /** The chat answer's content. @default 'OK' */
  content?: string;
  /** Ids listed after `gw-model`. */
  models?: string[];
}

export interface EchoGateway {
  url: string;
  /** How many requests came. */
  requests(): number;
  close(): Promise<void>;
}

export async function echoGateway(echo: (req: IncomingMessage) => Echo): Promise<EchoGateway> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      const said = echo(req);
      res.writeHead(200, { 'content-type': 'application/json', ...said.headers });
      if (req.url?.includes('/models')) return void res.end(JSON.stringify({ object: 'list', data: ['gw-model', ...(said.models ?? [])].map((id) => ({ id, object: 'model' })) }));
      let model = 'gw-model';
      try {
        model = (JSON.parse(body) as { model?: string }).model ?? model;
      } catch {
        // Not JSON: the model stays gw-model.
      }
      res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: said.content ?? 'OK' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
