/**
 * @module suite/sent-fields
 * What a check's case must send for the check to be about anything: `params.n` judges what `n` does, so a request
 * without `n` (or with `n: 1`, the default) can only show the default; `stream.chat-completions` reads a stream, so a
 * request without `stream: true` gets a whole body and would be judged a broken stream. Without the field, every
 * verdict would blame the endpoint for what the case never asked. A check declares the fields (`sends`); loading a
 * suite refuses a case that names it without them (load-suites.ts), and the check itself reads the request it sent
 * and says `error`, never a verdict, when the field is not there (checks/sent-request.ts).
 */

/** A request body field a check's case must send, and what value it must hold. */
export interface SentField {
  /** A top-level field of the JSON body. */
  field: string;
  /** The step whose request must send it (the id the check reads); by default the case's last step, the one a check reads. */
  step?: string;
  /**
   * What the value must be: `true` (a stream, logprobs asked for), a number (a limit, a sampling value), a whole number
   * of 2 or more (`n`: 1 is the default, so it cannot show the field did anything), or anything (`stop`).
   */
  is?: 'true' | 'number' | 'several';
  /** The field as a line to add to the request, for messages (`n: 2`). */
  example: string;
}

/** What the case of a check that reads a streamed answer must send. */
export const STREAMED: SentField = { field: 'stream', is: 'true', example: 'stream: true' };

const WANTED: Readonly<Record<NonNullable<SentField['is']>, string>> = {
  true: 'true',
  number: 'a number',
  several: 'a whole number of 2 or more',
};

/**
 * Why `body` does not send `rule`'s field as the check needs it (`sends no n`, `sends stream: false, not true`), or
 * undefined when it does.
 */
export function unsent(body: unknown, rule: SentField): string | undefined {
  const fields = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (!Object.hasOwn(fields, rule.field) || fields[rule.field] === undefined) return `sends no ${rule.field}`;
  const value = fields[rule.field];
  const fits = rule.is === 'true' ? value === true : rule.is === 'number' ? typeof value === 'number' && Number.isFinite(value) : rule.is === 'several' ? Number.isInteger(value) && (value as number) >= 2 : true;
  // The value as written, cut short: a suite's own text, shown to its author.
  return fits ? undefined : `sends ${rule.field}: ${JSON.stringify(value)?.slice(0, 40) ?? String(value)}, not ${WANTED[rule.is!]}`;
}

/** What a check needs its case's request to send, one phrase: "n (a whole number of 2 or more)", "stream: true". */
export function describeSent(rule: SentField): string {
  return rule.is === 'true' ? `${rule.field}: true` : rule.is ? `${rule.field} (${WANTED[rule.is]})` : rule.field;
}
