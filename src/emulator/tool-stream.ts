/**
 * @module emulator/tool-stream
 * Tool calls as the emulated models make them and stream them: one call per city a parallel request names, the
 * arguments split into several fragments (five by default, as real streams split them at arbitrary points), and
 * the deviations a test can switch on (`stream.toolCallStream`).
 */
import { exampleFor } from './generate.ts';
import type { StreamQuirks } from './profile.ts';

export interface EmulatedCall {
  id: string;
  name: string;
  arguments: string;
}

const CITIES = ['Paris', 'Rome', 'Berlin', 'Madrid', 'Lisbon'];

/**
 * The arguments of the calls a request gets: one per city its prompt names when parallel calls are asked for
 * (`tool_choice: "required"` and `parallel_tool_calls` not false), else one call.
 */
export function callArguments(prompt: string, parameters: unknown, parallel: boolean): unknown[] {
  const example = exampleFor(parameters);
  const named = CITIES.filter((city) => prompt.includes(city));
  if (!parallel || named.length < 2 || !example || typeof example !== 'object' || !('city' in example)) return [example];
  return named.map((city) => ({ ...(example as Record<string, unknown>), city }));
}

/** Splits `text` into `count` fragments at fixed points (none empty while the text lasts). */
export function fragmentsOf(text: string, count = 5): string[] {
  const n = Math.max(1, Math.min(count, text.length));
  return Array.from({ length: n }, (_, i) => text.slice(Math.floor((i * text.length) / n), Math.floor(((i + 1) * text.length) / n)));
}

/**
 * The argument fragments as the stream sends them, after the `bad-fragments` deviation (the middle fragment lost:
 * broken JSON; losing the second cut `{"city":"Paris"}` to `{"c":"Paris"}`, JSON a model could have chosen).
 */
export function streamedFragments(text: string, quirks: StreamQuirks): string[] {
  const fragments = fragmentsOf(text, quirks.toolArgumentFragments ?? 5);
  if (quirks.toolCallStream !== 'bad-fragments' || fragments.length <= 2) return fragments;
  const lost = Math.floor(fragments.length / 2);
  return [...fragments.slice(0, lost), ...fragments.slice(lost + 1)];
}

/** The `delta.tool_calls` of each chat chunk that streams `calls`: the first names the call, the rest carry fragments. */
export function chatToolCallDeltas(calls: readonly EmulatedCall[], quirks: StreamQuirks): Record<string, unknown>[][] {
  const deltas: Record<string, unknown>[][] = [];
  calls.forEach((call, position) => {
    const id = quirks.toolCallStream === 'shared-id' ? calls[0]!.id : call.id;
    const indexed = (delta: Record<string, unknown>) => (quirks.toolCallStream === 'no-index' ? delta : { index: position, ...delta });
    const head = { ...(quirks.toolCallStream === 'no-id' ? {} : { id }), type: 'function', function: { name: call.name, arguments: '' } };
    deltas.push([indexed(head)]);
    for (const fragment of streamedFragments(call.arguments, quirks)) deltas.push([indexed({ function: { arguments: fragment } })]);
  });
  return deltas;
}
