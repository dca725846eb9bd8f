/**
 * @module names
 * Every name that becomes part of a path (run id, target name, model id, region, case id) passes through here.
 * A name from a flag, a catalog or an endpoint's model list is data: it is either refused with a HARNESS_USAGE
 * error naming where it came from, or mapped to a folder name by a reversible, collision-free encoding. No path
 * is ever joined from an unchecked name.
 */
import { HarnessError } from './errors.ts';

/** What a name is, for messages. */
export type NameKind = 'run id' | 'target name' | 'model id' | 'region' | 'case id';

/** Plain names (run id, target name): what a CI job or a person types. Its first character, then the others. */
const PLAIN_CHARACTERS = [/[A-Za-z0-9]/, /[A-Za-z0-9._-]/] as const;
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * Model ids as Mantle and gateways spell them (`anthropic.claude-opus-4-7`, `us.meta.llama`, ARNs with `:` and `/`),
 * and as vLLM lists a model served from a path (`vllm serve /mnt/models/x` lists `/mnt/models/x`): a leading `/` is
 * no path here, since a model id names a folder only through `folderName`, which encodes it. The catalog and
 * expectations schemas take ids by this pattern too.
 */
/** What MODEL_ID_PATTERN allows, in words. */
export const MODEL_ID_CHARACTERS = 'letters, digits and . _ : / @ + -, starting with a letter, a digit or /';
export const MODEL_ID_PATTERN = '^[A-Za-z0-9/][A-Za-z0-9._:/@+-]*$';
const MODEL = new RegExp(MODEL_ID_PATTERN);
/** MODEL_ID_PATTERN's first character, then the others: to say which character of a refused id is not allowed. */
const MODEL_CHARACTERS = [/[A-Za-z0-9/]/, /[A-Za-z0-9._:/@+-]/] as const;
/** An AWS region name (us-east-1, us-gov-west-1, us-isob-east-1, cn-north-1), unanchored: Bedrock's host names hold one. */
export const REGION_PATTERN = '[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d{1,2}';
const REGION = new RegExp(`^${REGION_PATTERN}$`);

/** The longest name accepted, in characters. Folder names are at most 255 bytes on common file systems. */
export const MAX_NAME_LENGTH: Record<NameKind, number> = { 'run id': 64, 'target name': 64, 'model id': 160, region: 32, 'case id': 80 };
const MAX_FOLDER_BYTES = 240;

/** Why `value` is not an acceptable name of this kind, or undefined when it is. */
export function nameProblem(value: string, kind: NameKind): string | undefined {
  if (value.length === 0) return `an empty ${kind} is not allowed`;
  const max = MAX_NAME_LENGTH[kind];
  if (value.length > max) return `a ${kind} has at most ${max} characters (this one has ${value.length})`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return `a ${kind} cannot hold control characters`;
  if (value === '.' || value === '..') return `"${value}" is not a ${kind}`;
  const rule = kind === 'model id' ? MODEL : kind === 'region' ? REGION : PLAIN;
  if (!rule.test(value)) {
    if (kind === 'region') return `${JSON.stringify(value)} is not an AWS region name like us-east-1`;
    const allowed = kind === 'model id' ? MODEL_ID_CHARACTERS : 'letters, digits and . _ -, starting with a letter or digit';
    const which = refusedCharacter(value, kind === 'model id' ? MODEL_CHARACTERS : PLAIN_CHARACTERS);
    return `${JSON.stringify(value)} is not a ${kind} (${allowed})${which ? `: ${which}` : ''}`;
  }
  if (Buffer.byteLength(folderName(value)) > MAX_FOLDER_BYTES) return `the ${kind} ${JSON.stringify(value)} is too long to name a folder`;
  return undefined;
}

/** Characters a reader does not see in a quoted name: format characters (U+200B, U+FEFF, U+2060), separators, controls. */
const UNSEEN = /[\p{Cf}\p{Zl}\p{Zp}\p{Cc}]/u;

/**
 * Which character of `value` the rule refuses, by position (in characters, from 1) and code point: a zero-width space
 * pasted from a CI log or a web page is invisible in the quoted name, so the message names it.
 */
function refusedCharacter(value: string, [first, rest]: readonly [RegExp, RegExp]): string | undefined {
  let at = 0;
  for (const char of value) {
    at += 1;
    if ((at === 1 ? first : rest).test(char)) continue;
    const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    if (UNSEEN.test(char)) return `character ${at} is ${code}, an invisible one`;
    return char === ' ' ? `character ${at} is a space` : `character ${at} is ${JSON.stringify(char)} (${code})`;
  }
  return undefined;
}

/** `value` when it is an acceptable name, else a HARNESS_USAGE error naming `where` (a flag, or a file and field). */
export function checkName(value: string, kind: NameKind, where: string): string {
  const problem = nameProblem(value, kind);
  if (problem) throw new HarnessError('HARNESS_USAGE', `${where}: ${problem}`);
  return value;
}

/** A name every character of which `folderName` keeps: lower-case letters, digits, `-`, and `.` after the first. */
const KEPT_AS_IS = /^[a-z0-9-][a-z0-9.-]*$/;

/**
 * Windows device names, in any letter case and with any extension (`con`, `NUL.json`, `com1.x`): such a folder or
 * file cannot be made there, or names the device. Only a name kept raw can be one (an encoded first byte is `_`).
 */
const DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/;

/**
 * The folder (or file stem) a name is stored under. Lower-case letters, digits, `.` and `-` stay as they are, so
 * the ids Mantle uses read the same on disk (`google.gemma-4-e2b`); every other byte, a leading dot, and `_`
 * itself become `_XX` (upper-case hex of each UTF-8 byte). So do the first letter of a Windows device name (`con`
 * -> `_63on`) and a trailing dot (`x.` -> `x_2E`: Windows drops it, and `x.` would be `x`). The mapping is
 * injective, also on case-insensitive file systems (only lower-case letters are kept raw), never yields `.`, `..`, a
 * separator or a name Windows changes, and leaves every other name's folder as it was.
 */
export function folderName(name: string): string {
  let out = encoded(name);
  if (DEVICE.test(out)) out = `_${out.charCodeAt(0).toString(16).toUpperCase()}${out.slice(1)}`;
  return out.endsWith('.') ? `${out.slice(0, -1)}_2E` : out;
}

/** `name` with every byte `folderName` does not keep raw written `_XX`. */
function encoded(name: string): string {
  // Most names are already what they map to (a replay maps every model and case id once per fixture it reads).
  if (KEPT_AS_IS.test(name)) return name;
  let out = '';
  const bytes = Buffer.from(name, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const raw = (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || (byte === 0x2e && i > 0);
    out += raw ? String.fromCharCode(byte) : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The name a folder was made from, or undefined when the folder was not made by `folderName`. */
export function nameFromFolder(folder: string): string | undefined {
  const name = decoded(folder);
  return name !== undefined && folderName(name) === folder ? name : undefined;
}

/**
 * The name an older mantle-conformance stored in `folder` where this one stores it in another: before device names
 * and trailing dots were encoded, target `aux` was recorded in `aux`, now in `_61ux`. Undefined for any other folder.
 */
export function olderFolderName(folder: string): string | undefined {
  const name = decoded(folder);
  return name !== undefined && encoded(name) === folder && folderName(name) !== folder ? name : undefined;
}

/** The bytes `_XX` and the characters kept raw spell, or undefined when the folder holds any other character. */
function decoded(folder: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < folder.length; i++) {
    const c = folder[i]!;
    if (c === '_') {
      const hex = folder.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (/[a-z0-9-]/.test(c) || (c === '.' && i > 0)) {
      bytes.push(c.charCodeAt(0));
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
