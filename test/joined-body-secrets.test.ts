/**
 * A run's secret echoed back split across the parts of a whole (not streamed) JSON answer: chat text parts, Responses
 * `output_text` parts, Messages text blocks. The checks join the parts (answer-text.ts), so unless the body's parts
 * are read joined at the boundary, the key is whole again in reasons, reports and a replay of the fixture.
 */
import { describe, expect, it } from 'vitest';
import { answerText, visibleText } from '../src/checks/answer-text.ts';
import type { Exchange } from '../src/transport/exchange.ts';
import { joinedSecretRanges } from '../src/transport/joined-secrets.ts';
import { redactExchange } from '../src/transport/redact-exchange.ts';
import { cutRanges, Redactor } from '../src/transport/redactor.ts';

const KEY = 'sk-abcdef0123456789SECRETKEYxyz';
const secrets = [{ kind: 'api-key', value: KEY }];
const own = new Redactor(() => secrets);

/** `text` in parts of `size` characters, as a hostile endpoint splits an echo of the key. */
const split = (text: string, size = 10) => text.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [];
const chatBody = (parts: string[]) => JSON.stringify({ id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: parts.map((text) => ({ type: 'text', text })) }, finish_reason: 'stop' }] });
const message = (parts: string[]) => ({ type: 'message', id: 'msg', role: 'assistant', status: 'completed', content: parts.map((text) => ({ type: 'output_text', text, annotations: [] })) });
const messagesBody = (parts: string[]) => JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', content: parts.map((text) => ({ type: 'text', text })), stop_reason: 'end_turn' });

/** The body with what joinedSecretRanges finds cut out, and the count of secrets. */
function cut(body: string): { body: string; secrets: number } {
  const found = joinedSecretRanges(body, secrets);
  return { body: cutRanges([body], found.ranges).join(''), secrets: found.secrets };
}

/** Every 8-character run of the key (the redactor's shortest secret) that the text still holds. */
const keyPieces = (text: string) => Array.from({ length: KEY.length - 7 }, (_, i) => KEY.slice(i, i + 8)).filter((piece) => text.includes(piece));

describe('a secret split across the parts of a whole JSON answer', () => {
  it('chat: text parts of message.content, joined as chatContentText joins them, no longer form the key', () => {
    const body = chatBody(split(`I see key ${KEY}`));
    expect(visibleText(JSON.parse(body))).toContain(KEY);
    const redacted = cut(body);
    expect(redacted.secrets).toBe(1);
    const seen = visibleText(JSON.parse(redacted.body));
    expect(seen).toMatch(/^I see key (\[REDACTED:api-key\])+$/);
    expect(keyPieces(seen)).toEqual([]);
  });

  it('Responses: output_text parts, across three messages and past the reasoning items between them', () => {
    const reasoning = { type: 'reasoning', id: 'rs', content: [{ type: 'reasoning_text', text: 'thinking it over' }], summary: [] };
    // Thirds shorter than the 12 characters of a piece the redactor finds on its own: only joined is it the key.
    const body = JSON.stringify({ id: 'resp_1', object: 'response', output: [message(['I see key ', KEY.slice(0, 10)]), reasoning, message([KEY.slice(10, 20)]), reasoning, message([KEY.slice(20)])] });
    expect(answerText(JSON.parse(body))).toContain(KEY);
    const redacted = cut(body);
    expect(redacted.secrets).toBe(1);
    const parsed = JSON.parse(redacted.body);
    expect(answerText(parsed)).toMatch(/^I see key (\[REDACTED:api-key\])+$/);
    // The reasoning text that lay between the thirds is no part of the key: it stays.
    expect([parsed.output[1], parsed.output[3]]).toEqual([reasoning, reasoning]);
  });

  it('Messages: text blocks of content, past a tool_use block between them', () => {
    const body = messagesBody(split(`I see key ${KEY}`, 7)).replace('"content":[', '"content":[{"type":"tool_use","id":"t","name":"f","input":{"text":"x"}},');
    expect(visibleText(JSON.parse(body))).toContain(KEY);
    const redacted = cut(body);
    expect(redacted.secrets).toBe(1);
    expect(keyPieces(visibleText(JSON.parse(redacted.body)))).toEqual([]);
  });

  it('cuts a part written with JSON escapes by its escapes, and leaves the body JSON', () => {
    const body = chatBody(['I see key sk-abcdef01', '23456789SECRETKEYxyz']).replace('SECRET', '\\u0053ECRET');
    const redacted = cut(body);
    expect(redacted.body).not.toMatch(/u0053ECRET|23456789|sk-abcdef01/);
    expect(keyPieces(visibleText(JSON.parse(redacted.body)))).toEqual([]);
  });

  it('does not force unrelated fields together, nor choices a client reads apart', () => {
    // Two keys of one object: no client joins them.
    const fields = JSON.stringify({ id: 'sk-abcdef0123456', model: '789SECRETKEYxyz' });
    expect(joinedSecretRanges(fields, secrets)).toEqual({ ranges: [], secrets: 0 });
    // A part's type beside the next part's text: different paths.
    const typed = JSON.stringify({ content: [{ type: 'sk-abcdef0123456', text: 'a' }, { text: '789SECRETKEYxyz' }] });
    expect(joinedSecretRanges(typed, secrets).ranges.every((r) => typed.slice(r.start, r.end) !== 'sk-abcdef0123456')).toBe(true);
    // Parts that join to something else are left as they came.
    const other = chatBody(['I see key sk-abcd', 'zzzzzzzzzz']);
    expect(cut(other)).toEqual({ body: other, secrets: 0 });
  });

  it('through redactExchange: no read of the body holds a piece that rebuilds the key; a body without it is untouched', () => {
    const exchange = (body: string, reads = 3): Exchange => ({
      step: 'main',
      prefix: '/v1',
      request: { method: 'POST', path: '/v1/chat/completions', headers: {}, body: '{}' },
      response: { status: 200, headers: { 'content-type': 'application/json' }, chunks: split(body, Math.ceil(body.length / reads)).map((data, t) => ({ t, data })) },
      error: null,
      durationMs: 10,
      attempts: 1,
    });
    const leaked = redactExchange(exchange(chatBody(split(`I see key ${KEY}`))), own);
    const text = leaked.response!.chunks.map((c) => c.data).join('');
    expect(leaked.redactions).toBe(1);
    expect(keyPieces(visibleText(JSON.parse(text)))).toEqual([]);
    expect(JSON.parse(text).choices[0].message.content.map((p: { text: string }) => p.text).join('')).toMatch(/^I see key (\[REDACTED:api-key\])+$/);
    // A normal answer in parts, with credential-like words that are not the run's: byte for byte as it came.
    const normal = exchange(`{\n  "choices": [{"index": 0, "message": {"content": ${JSON.stringify(split('The image shows a red square. sk-abcdef is not a key \u00e9\u{1F600}', 4).map((text) => ({ type: 'text', text })))}}}]\n}`);
    const kept = redactExchange(normal, own);
    expect(kept.response!.chunks).toEqual(normal.response!.chunks);
    expect(kept.redactions).toBeUndefined();
  });

  // Speed is the bench's to measure: this asks only that it finishes. A cut that walks every part for each find
  // (the key many times over, in one-character parts) takes minutes on these.
  // 1 MB: a scan or cut that revisits every piece per piece (the first stream join's flaw) takes minutes at this size.
  it('reads 1 MB of one-character parts in linear time, the key among them many times', { timeout: 30_000 }, () => {
    const tiny = JSON.stringify({ content: Array.from({ length: 50_000 }, () => ({ type: 'text', text: 'x' })) });
    expect(tiny.length).toBeGreaterThan(1_000_000);
    expect(joinedSecretRanges(tiny, secrets)).toEqual({ ranges: [], secrets: 0 });
    const keys = JSON.stringify(split(`${KEY} `.repeat(8_000), 1));
    expect(keys.length).toBeGreaterThan(1_000_000);
    const found = joinedSecretRanges(keys, secrets);
    expect(found.secrets).toBe(8_000);
    expect(keyPieces(JSON.parse(cutRanges([keys], found.ranges).join('')).join(''))).toEqual([]);
  });
});
