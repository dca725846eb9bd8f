/**
 * @module cli/fixtures-command
 * `npm run fixtures`: records the bundled fixtures from the emulator. Starts it on a free loopback port with a
 * throwaway key, runs every suite for every catalog model in record mode (provenance: emulator), and replaces
 * `fixtures/emulator/` with the result.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_CHECKS } from '../checks/registry.ts';
import { profilesFromCatalog } from '../emulator/profile-from-catalog.ts';
import { startEmulator } from '../emulator/server.ts';
import { loadCatalog } from '../suite/load-catalog.ts';
import { runCommand } from './run-command.ts';

export const EMULATOR_TARGET = 'emulator';
const KEY_ENV = 'MANTLE_CONFORMANCE_EMULATOR_KEY';

export async function fixturesCommand(flags: { suites: string; catalog?: string; fixtures: string }, root: string, version: string, io: { out: NodeJS.WritableStream; err: NodeJS.WriteStream }): Promise<number> {
  const catalogFile = flags.catalog ?? `${flags.suites}/models.yaml`;
  const catalog = await loadCatalog(catalogFile, ALL_CHECKS);
  const key = `emu-${randomBytes(16).toString('hex')}`;
  const emulator = await startEmulator({ profiles: profilesFromCatalog(catalog), apiKey: key });
  const reports = await mkdtemp(join(tmpdir(), 'mantle-fixtures-'));
  process.env[KEY_ENV] = key;
  try {
    await rm(join(flags.fixtures, EMULATOR_TARGET), { recursive: true, force: true });
    const outcome = await runCommand(
      [],
      {
        mode: 'record',
        endpoint: emulator.url,
        targetName: EMULATOR_TARGET,
        source: 'emulator',
        apiKeyEnv: KEY_ENV,
        suites: flags.suites,
        catalog: catalogFile,
        fixtures: flags.fixtures,
        reportDir: reports,
        plain: true,
      },
      root,
      version,
      io,
    );
    io.out.write(`recorded ${emulator.stats.requests} exchanges from the emulator into ${join(flags.fixtures, EMULATOR_TARGET)}\n`);
    return outcome.exitCode;
  } finally {
    delete process.env[KEY_ENV];
    await emulator.close();
    await rm(reports, { recursive: true, force: true });
  }
}
