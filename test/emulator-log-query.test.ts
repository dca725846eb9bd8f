/**
 * The emulator's request log leaves a request's query out: a client may send its key there (Azure's `?api-key=`,
 * which the harness sends on every request of an `--endpoint ...?api-key=...`), and the log is a CI log.
 */
import { describe, expect, it } from 'vitest';
import { requestLine, startEmulatorFromFlags } from '../src/cli/emulator-command.ts';
import { ROOT } from './helpers/harness.ts';

const KEY = 'sk-proj-Zq8T3xWv9LmN2bQ7yRk4HsPd6FgJc1Aa';

describe('the emulator\'s request log', () => {
  it('shows the path of a request with a query, and not the query', async () => {
    const lines: string[] = [];
    const emulator = await startEmulatorFromFlags({ catalog: `${ROOT}/suites/models.yaml`, port: '0' }, (line) => lines.push(line));
    try {
      const body = JSON.stringify({ model: 'openai.gpt-oss-20b', messages: [{ role: 'user', content: 'hi' }] });
      await fetch(`${emulator.url}/v1/chat/completions?api-key=${KEY}&api-version=2024-10-21`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body }).then((r) => r.text());
      await fetch(`${emulator.url}/v1/models?key=${encodeURIComponent(KEY)}`).then((r) => r.text());
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await emulator.close();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ POST \/v1\/chat\/completions\?\(query not shown\) openai\.gpt-oss-20b -> 200 /);
    expect(lines[1]).toMatch(/ GET \/v1\/models\?\(query not shown\) - -> 200 /);
    for (const line of lines) {
      expect(line).not.toContain(KEY.slice(8, 20));
      expect(line).not.toContain('api-key=');
    }
  });

  it('shows a path without a query as it is', () => {
    expect(requestLine({ method: 'GET', path: '/v1/models', status: 200, durationMs: 1 }, new Map())).toMatch(/ GET \/v1\/models - -> 200 \(1 ms\)$/);
  });
});
