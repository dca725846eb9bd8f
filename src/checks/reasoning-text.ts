/**
 * @module checks/reasoning-text
 * What a model thought before it answered, as text, wherever an API puts it: `<think>...</think>` written into the
 * answer (any API), a chat message's `reasoning` / `reasoning_content` / `thinking` fields and the text of its
 * `reasoning_details` (vLLM, DeepSeek, gpt-oss on Mantle, OpenRouter), a Response's `reasoning` items (summary and
 * content text) and the messages it marks `phase: "commentary"`, and a Messages answer's `thinking` blocks
 * (`redacted_thinking` holds none to read). A check that judges the answer reads it apart from the answer: the
 * answer is what the model said, this is why; "there's no image, I'll guess" here makes a right colour a guess.
 */
import { isRecord } from '../transport/body.ts';
import { thinkingOf, visibleText } from './answer-text.ts';

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');
/** The text of parts (`[{type: "summary_text", text}]`, `[{type: "reasoning_text", text}]`), joined. */
const partsText = (parts: unknown): string[] => (Array.isArray(parts) ? parts.map((part) => (isRecord(part) ? textOf(part.text) : '')) : []);

/** The reasoning an answer shows on any of the three APIs, its pieces joined by a blank line; empty when it shows none. */
export function reasoningText(body: Record<string, unknown>): string {
  const pieces = [thinkingOf(visibleText(body))];
  const message = Array.isArray(body.choices) && isRecord(body.choices[0]) && isRecord(body.choices[0].message) ? body.choices[0].message : undefined;
  if (message) {
    pieces.push(textOf(message.reasoning), textOf(message.reasoning_content), textOf(message.thinking));
    for (const detail of Array.isArray(message.reasoning_details) ? message.reasoning_details.filter(isRecord) : []) pieces.push(textOf(detail.text), textOf(detail.summary));
  }
  for (const item of Array.isArray(body.output) ? body.output.filter(isRecord) : []) {
    if (item.type === 'reasoning') pieces.push(...partsText(item.summary), ...partsText(item.content));
    // A commentary message is what the model said before its answer (answer-text.ts's finalAnswerText leaves it out).
    if (item.type === 'message' && item.phase === 'commentary') pieces.push(...partsText(item.content));
  }
  for (const block of Array.isArray(body.content) ? body.content.filter(isRecord) : []) if (block.type === 'thinking') pieces.push(textOf(block.thinking));
  return pieces.map((piece) => piece.trim()).filter(Boolean).join('\n\n');
}
