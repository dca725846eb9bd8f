/**
 * @module run/coordinator
 * The run's one scheduler, shared by every vitest worker. Workers are separate threads, so the main process
 * serves its LocalScheduler on a loopback port and each worker asks it for permits over HTTP: global concurrency,
 * per-model limits, token budgets and spend caps then hold for the run as a whole, not per worker.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { LocalScheduler, type Figures, type Permit, type PermitRequest, type Scheduler, type SchedulerLimits, type Usage } from '../transport/scheduler.ts';

export interface Coordinator {
  url: string;
  scheduler: LocalScheduler;
  figures(): Figures;
  close(): Promise<void>;
}

export async function startCoordinator(limits: SchedulerLimits): Promise<Coordinator> {
  const scheduler = new LocalScheduler(limits);
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (part: Buffer) => (text += part.toString('utf8')));
    req.on('end', () => {
      const reply = (value: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (req.url === '/acquire') {
        const aborted = new AbortController();
        // A worker that goes away (cancelled run) must not keep a place in the queue.
        res.on('close', () => {
          if (!res.writableFinished) aborted.abort();
        });
        void scheduler.acquire(body as unknown as PermitRequest, aborted.signal).then(reply);
      } else if (req.url === '/release') {
        void scheduler.release(String(body.lease), body.usage as Usage).then(() => reply({ ok: true }));
      } else {
        reply(scheduler.figures);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    scheduler,
    figures: () => ({ ...scheduler.figures }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A worker's view of the coordinator. */
export class CoordinatorClient implements Scheduler {
  readonly #url: string;
  readonly #agent = new Agent({ keepAliveTimeout: 60_000, connections: 256, headersTimeout: 0, bodyTimeout: 0 });

  constructor(url: string) {
    this.#url = url;
  }

  async acquire(permit: PermitRequest, signal?: AbortSignal): Promise<Permit> {
    try {
      return (await this.#post('/acquire', permit, signal)) as Permit;
    } catch (error) {
      if (signal?.aborted) return { granted: false, code: 'HARNESS_INTERRUPTED', message: 'the run was interrupted before this request was sent' };
      return { granted: false, code: 'HARNESS_INTERNAL', message: `the run coordinator did not answer: ${(error as Error).message}` };
    }
  }

  async release(lease: string, usage: Usage): Promise<void> {
    await this.#post('/release', { lease, usage }).catch(() => undefined);
  }

  async #post(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const answer = await request(`${this.#url}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      dispatcher: this.#agent,
      ...(signal ? { signal } : {}),
    });
    return answer.body.json();
  }
}
