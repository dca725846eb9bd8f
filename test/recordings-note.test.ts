/**
 * The "recordings:" line of a record run (hostile review rvE, finding 7) named the folder relative to the process's
 * working folder: `npm run conformance -- --mode record ...` runs at the package root whichever folder it was typed
 * in, so `fixtures/<target>/` read as a folder below the user's. The line names the absolute path.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../src/cli/run-options.ts';
import { startNotes } from '../src/cli/start-notes.ts';
import { ROOT } from './helpers/harness.ts';

describe('the recordings line of a record run', () => {
  it('names the absolute path of the target folder, even when the root lies below the working folder', async () => {
    // Nothing is sent or made: resolving the flags reads only, and the root is not there yet.
    const config = await resolveRunConfig({ mode: 'record', endpoint: 'http://127.0.0.1:41851', targetName: 'note-target', auth: 'none', fixtures: 'not-made-fixtures' }, ROOT, '0.0.0');
    const lines = startNotes({}, config, ROOT, true).filter((line) => line.startsWith('recordings: '));
    expect(lines).toEqual([`recordings: ${join(process.cwd(), 'not-made-fixtures', 'note-target')}/`]);
  });

  it('a target id folderName encodes is shown as its folder on disk', async () => {
    const config = await resolveRunConfig({ mode: 'record', endpoint: 'http://127.0.0.1:41851', auth: 'none', fixtures: 'not-made-fixtures' }, ROOT, '0.0.0');
    expect(startNotes({}, config, ROOT, true)).toContain(`recordings: ${join(process.cwd(), 'not-made-fixtures', '127.0.0.1_5F41851')}/`);
  });
});
