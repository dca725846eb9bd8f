/**
 * `emulator --host ::ffff:0.0.0.0` listened on every IPv4 interface, and the start-up line did not say so: the
 * banner matched the URL's text against `0.0.0.0` and `[::]` only. Now it is decided from the address the socket is
 * bound to, an IPv4-mapped unspecified address counted, whatever spelling of it `--host` gave.
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { emulatorBanner, listensEverywhere, startEmulatorFromFlags } from '../src/cli/emulator-command.ts';
import { ROOT } from './helpers/harness.ts';

const WARNING = '\nListening on every interface: reachable from other machines, and accepting any key (give --api-key-env NAME to require one).\n';
const at = (address: string, family: 'IPv4' | 'IPv6'): AddressInfo => ({ address, family, port: 45231 });
const urlOf = (a: AddressInfo) => `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;

describe('the every-interface line of the banner', () => {
  // What server.address() gives for `--host` ::ffff:0.0.0.0 and ::ffff:0:0 (IPv4-mapped), 0, 0.0 and 0x0 (0.0.0.0),
  // 0:0:0:0:0:0:0:0 and ::0 (::).
  it.each([at('::ffff:0.0.0.0', 'IPv6'), at('0.0.0.0', 'IPv4'), at('::', 'IPv6')])('said for $address', (address) => {
    expect(listensEverywhere(address)).toBe(true);
    expect(emulatorBanner({ url: urlOf(address), address }, {})).toContain(WARNING);
  });

  it.each([at('127.0.0.1', 'IPv4'), at('::1', 'IPv6'), at('::ffff:127.0.0.1', 'IPv6'), at('192.0.2.7', 'IPv4')])('not said for $address', (address) => {
    expect(listensEverywhere(address)).toBe(false);
    expect(emulatorBanner({ url: urlOf(address), address }, {})).not.toContain('every interface');
  });

  it('the emulator reports the address it is bound to', async () => {
    const emulator = await startEmulatorFromFlags({ catalog: `${ROOT}/suites/models.yaml`, port: '0', host: '127.0.0.1' });
    try {
      expect(emulator.address).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port: emulator.port });
      expect(emulatorBanner(emulator, {})).not.toContain('every interface');
    } finally {
      await emulator.close();
    }
  });
});
