/**
 * Judging a check on an answer written by hand, to the suites' own request: a local server on 127.0.0.1 port 0
 * answers whatever the test gives (an SSE stream, each event named by its type as Anthropic and OpenAI's Responses
 * name theirs, or a JSON body), and `judge` sends the case's first request to it and runs one check on the exchange.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getCheck } from '../../src/checks/registry.ts';
import type { CheckResult } from '../../src/checks/types.ts';
import { buildRequest } from '../../src/run/case-runner.ts';
import type { Expected } from '../../src/suite/expected.ts';
import { noAuth } from '../../src/transport/auth/auth.ts';
import { LiveTarget } from '../../src/transport/live-target.ts';
import { projectSuites } from './harness.ts';

export type ScriptedEvents = (string | Record<string, unknown>)[];
/** An SSE stream (that stalls with the connection open, when `stall`), or a JSON body. */
export type ScriptedAnswer = { events: ScriptedEvents; stall?: boolean } | { json: unknown };

/** A whole chat completion whose one message is `message` (content, reasoning fields), as a scripted JSON answer. */
export const chatAnswer = (message: Record<string, unknown>): ScriptedAnswer => ({
  json: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }], usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 } },
});

export interface JudgeOptions {
  /** The expectation the check judges against (a deviation is then a `fail`); none by default. */
  expected?: Expected;
  /** Changes the case's request body before it is sent. */
  edit?: (body: Record<string, unknown>) => void;
}

export interface CaseJudge {
  judge(caseId: string, checkId: string, answer: ScriptedAnswer, options?: JudgeOptions): Promise<CheckResult>;
  close(): Promise<void>;
}

/** Starts the server. `idleTimeoutMs` (default 2000) is how long a stalling answer is waited on. */
export async function startCaseJudge(idleTimeoutMs = 2_000): Promise<CaseJudge> {
  let next: ScriptedAnswer = { json: {} };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if ('json' in next) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(next.json));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // @anthropic-ai/sdk skips an unnamed event.
      for (const event of next.events) res.write(`${typeof event !== 'string' && typeof event.type === 'string' ? `event: ${event.type}\n` : ''}data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
      if (!next.stall) res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async judge(caseId, checkId, answer, options = {}) {
      const { suites } = await projectSuites();
      const spec = structuredClone(suites.cases.find((c) => c.id === caseId)!);
      const step = spec.steps[0]!;
      options.edit?.(step.request.body as Record<string, unknown>);
      const prefix = spec.api === 'messages' ? '/anthropic/v1' : '/v1';
      const request = buildRequest(spec, step, prefix, { model: 'test.model', step: () => undefined });
      next = answer;
      const target = new LiveTarget('test', { baseUrl: url, auth: noAuth, timeoutMs: 10_000, idleTimeoutMs });
      const exchange = await target.send(request, { model: 'test.model', caseId, step: step.id, prefix });
      const expectation = options.expected === undefined ? null : { value: options.expected, source: 'test' };
      return getCheck(checkId)!.run({ model: 'test.model', expectation, outcomes: [{ kind: 'completed', caseId, api: spec.api, exchanges: [exchange] }] });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
