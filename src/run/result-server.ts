/**
 * @module run/result-server
 * On a run on vitest, the main process runs the checks (one engine, one scheduler) and vitest's workers only
 * report them: each test asks this loopback server for its result. The answer waits until the check has run.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CellResult } from './cell-result.ts';

export interface ResultQuestion {
  target: string;
  model: string;
  check: string;
}

export type ResultAnswer = { kind: 'result'; cell: CellResult; gating: boolean } | { kind: 'not-run'; reason: string };

/** The tests of the gate file: what fails the run as a whole, one failing test each (`failure`), or one verdict test (`skip`: skipped with those words). */
export interface GateAnswer {
  tests: { name: string; failure?: string; skip?: string }[];
}

export interface ResultServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `answer` on `POST /result` and `gate` on `POST /gate`; a worker that goes away (a cancelled run) simply stops waiting. */
export async function startResultServer(answer: (question: ResultQuestion) => Promise<ResultAnswer>, gate: () => Promise<GateAnswer>): Promise<ResultServer> {
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (part: Buffer) => (text += part.toString('utf8')));
    req.on('end', () => {
      const reply = (status: number, value: unknown) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      let question: ResultQuestion;
      try {
        question = JSON.parse(text) as ResultQuestion;
      } catch {
        return reply(400, { error: 'not JSON' });
      }
      if (req.url !== '/result' && req.url !== '/gate') return reply(404, { error: 'no such route' });
      (req.url === '/gate' ? gate() : answer(question)).then(
        (value) => reply(200, value),
        (error: unknown) => reply(500, { error: (error as Error).message }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
