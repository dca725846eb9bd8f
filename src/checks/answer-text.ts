/**
 * @module checks/answer-text
 * What an answer says, read alike by every check that reads words: a chat message's content (string or text parts),
 * the visible text of an answer on any API, and a Response's answer without the commentary before it.
 */
import { isRecord } from '../transport/body.ts';

/**
 * The text of a chat message's `content`: the string, or the text parts of an array (`[{"type":"text","text":"OK"}]`)
 * joined; undefined when it is neither (null, absent). Every check that reads what a chat answer says reads it here,
 * so they agree on what was said; whether the array form is allowed is judged by the shape checks (schema, SDK).
 */
export function chatContentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  return content.map((part) => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('');
}

/** The visible text of an answer on any of the three APIs (content, output_text, text blocks). */
export function visibleText(body: Record<string, unknown>): string {
  if (Array.isArray(body.choices)) {
    const message = isRecord(body.choices[0]) && isRecord(body.choices[0].message) ? body.choices[0].message : {};
    return chatContentText(message.content) ?? '';
  }
  const parts: string[] = [];
  for (const item of Array.isArray(body.output) ? body.output : []) {
    if (!isRecord(item) || item.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content) if (isRecord(part) && typeof part.text === 'string') parts.push(part.text);
  }
  for (const block of Array.isArray(body.content) ? body.content : []) if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') parts.push(block.text);
  return parts.join('');
}

/** The text of a Responses message's `output_text` parts, joined, or undefined when it has none. */
function messageText(item: Record<string, unknown>): string | undefined {
  const parts = Array.isArray(item.content) ? item.content.filter((part) => isRecord(part) && part.type === 'output_text' && typeof part.text === 'string') : [];
  return parts.length ? parts.map((part) => String(part.text)).join('') : undefined;
}

/**
 * The text of a Response's answer, as the SDKs' `output_text` joins it, or undefined when no message holds output
 * text; a message marked `phase: "commentary"` left out. A model may speak before it answers, and Mantle marks its
 * messages with `phase` ("Let me come up with someone." as commentary, the JSON as `final_answer`), which is how a
 * client tells them apart. Any other message is part of the answer: a client cannot know a preamble that is not
 * marked, so "Sure:" then the JSON, unmarked, is text that does not parse, as a client reads it.
 */
export function finalAnswerText(body: Record<string, unknown>): string | undefined {
  const messages = (Array.isArray(body.output) ? body.output : []).filter((item): item is Record<string, unknown> => isRecord(item) && item.type === 'message' && item.phase !== 'commentary');
  const texts = messages.map(messageText).filter((text) => text !== undefined);
  return texts.length ? texts.join('') : undefined;
}

/**
 * The text without the thinking some models write into their answer (`<think>...</think>`, MiniMax, DeepSeek, Qwen
 * served without a reasoning parser): what they mused on is not what they answer. A block the budget cut before it
 * closed runs to the end: nothing was answered after it.
 */
export function withoutThinking(text: string): string {
  return splitThinking(text).answer;
}

/** The thinking written into a text, joined (empty when there is none, or only empty blocks). */
export function thinkingOf(text: string): string {
  return splitThinking(text).thinking;
}

/** A text's thinking (as thinkingOf) and its answer (as withoutThinking), split once. */
export function splitThinking(text: string): { thinking: string; answer: string } {
  // A template that opens the thinking itself (Qwen3-Thinking, DeepSeek-R1) sends only its end: what comes before the
  // first </think> with no <think> before it is thinking too.
  const end = text.search(/<\/think>/i);
  const opened = end >= 0 && !/<think>/i.test(text.slice(0, end));
  const thought = opened ? [text.slice(0, end)] : [];
  const rest = opened ? text.slice(end + '</think>'.length) : text;
  const answer = rest.replace(/<think>([\s\S]*?)(?:<\/think>|$)/gi, (_block, inner: string) => {
    thought.push(inner);
    return '';
  });
  return { thinking: thought.join('\n').trim(), answer: answer.trim() };
}

/**
 * What an answer says in reply, for a check that judges its words (not whether there were any): a Response's final
 * answer (finalAnswerText), else the visible text; thinking written into it left out.
 */
export function answerText(body: Record<string, unknown>): string {
  return withoutThinking(Array.isArray(body.output) ? (finalAnswerText(body) ?? '') : visibleText(body));
}
