/**
 * The text of a suite file of tiny chat cases (one request that asks for "OK", checked by api.chat-completions): the
 * tests of which suites folder a recording belongs to (labels, prune, take-over, lookalike files) write folders of
 * them and record them against the emulator.
 */
const CASE = (id: string) =>
  `  - id: ${id}\n    title: A tiny chat completion\n    api: chat-completions\n    request:\n      body:\n        messages:\n          - { role: user, content: Reply with the word OK. }\n        max_tokens: 16\n    checks:\n      - api.chat-completions\n`;

/** Suite `name` with one case per id. */
export const tinySuiteText = (name: string, ids: readonly string[]): string => `suite: ${name}\ndescription: tiny chat cases\ncases:\n${ids.map(CASE).join('')}`;
