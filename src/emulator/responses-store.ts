/**
 * @module emulator/responses-store
 * Stored responses: GET by id (a background response moves queued -> in_progress -> completed as it is polled),
 * DELETE, and input_items (documented unsupported on Mantle, seeds/portkey; the emulator serves it when the
 * profile says so).
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorContext, StoredResponse } from './context.ts';
import type { ModelProfile } from './profile.ts';
import { unfinished } from './responses.ts';
import { MANTLE_ERRORS, openaiError, sendJson } from './wire.ts';

function notFound(res: ServerResponse, id: string, context: EmulatorContext): void {
  const error = openaiError(404, 'not_found', `Response with id '${id}' not found.`, 'invalid_request_error');
  sendJson(res, error.status, error.body, context.headers());
}

function current(stored: StoredResponse): Record<string, unknown> {
  if (stored.pendingPolls <= 0) return stored.body;
  stored.pendingPolls -= 1;
  return unfinished(stored.body, 'in_progress');
}

export function handleStoredResponse(
  res: ServerResponse,
  request: { method: string; id: string; sub: string | undefined },
  context: EmulatorContext,
  profileOf: (model: string) => ModelProfile | undefined,
): void {
  const stored = context.responses.get(request.id);
  if (!stored) return notFound(res, request.id, context);
  const profile = profileOf(String(stored.body.model));
  if (request.sub === 'input_items') {
    if (!profile?.behaviors.inputItems) return sendJson(res, 404, MANTLE_ERRORS.notFound().body, context.headers());
    return sendJson(res, 200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false }, context.headers());
  }
  if (request.sub) return sendJson(res, 404, MANTLE_ERRORS.notFound().body, context.headers());
  if (request.method === 'GET') return sendJson(res, 200, current(stored), context.headers());
  if (request.method === 'DELETE') {
    if (profile?.behaviors.deleteResponse !== 'keeps') context.responses.delete(request.id);
    return sendJson(res, 200, { id: request.id, object: 'response', deleted: true }, context.headers());
  }
  sendJson(res, 404, MANTLE_ERRORS.notFound().body, context.headers());
}
