/**
 * @module suite/check-signature
 * What the suite and catalog loaders need to know about a check to validate files that name it: its id, the API it
 * reads, and its vocabulary. The check registry passes these in, so loading stays independent of the checks.
 */
import type { ApiId } from './suite-schema.ts';

export type Vocabulary = readonly string[] | 'number-or-null';

export interface CheckSignature {
  id: string;
  api: ApiId | null;
  vocabulary: Vocabulary;
  /** The check reads every case of the model (schema checks); suites need not list it. */
  readsAllCases?: boolean;
}

export function inVocabulary(check: CheckSignature, value: unknown): boolean {
  if (check.vocabulary === 'number-or-null') return value === null || typeof value === 'number';
  return typeof value === 'string' && check.vocabulary.includes(value);
}

export function describeVocabulary(check: CheckSignature): string {
  return check.vocabulary === 'number-or-null' ? 'a number or null' : check.vocabulary.map((v) => JSON.stringify(v)).join(', ');
}
