/**
 * A local OpenAI-compatible server on 127.0.0.1 port 0 whose model list is what the test says at each request, and
 * that answers any chat completion "Hi." for the model asked: enough for `--models listed` runs whose subject is the
 * list, not the answers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListingServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `listed` is read at each GET of a models route; `fails` (default never) makes a models route answer 500 instead,
 * for a list not read whole.
 */
export async function startListingServer(listed: () => readonly string[], fails: (url: string) => boolean = () => false): Promise<ListingServer> {
  const server = createServer((req, res) => {
    if (req.url?.endsWith('/models')) {
      if (fails(req.url)) return res.writeHead(500).end('down');
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: listed().map((id) => ({ id, object: 'model' })) }));
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += String(chunk)));
    req.on('end', () => {
      const model = (JSON.parse(body || '{}') as { model?: string }).model ?? '?';
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hi.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
