/**
 * @module cli/shell-word
 * One argument of a command the console tells the user to run, written so that a POSIX shell reads it back as the
 * same one argument: a path with a space, a quote or `$` in it is user text, and pasted as it is would become two
 * arguments, or run something. Single quotes make everything inside literal; a single quote itself is closed, escaped
 * and reopened (`'\''`).
 */

/** Characters a shell never splits on or expands (in an argument that does not start with `~`). */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * `text` as one shell word: as it is when nothing in it is special, else single-quoted. A word that starts with `-`
 * gets `./` before it (a relative path), or the command would take it for a flag whatever the quotes.
 */
export function shellWord(text: string): string {
  const word = text.startsWith('-') ? `./${text}` : text;
  return PLAIN.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
