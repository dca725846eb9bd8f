/**
 * @module transport/user-agent
 * `User-Agent: mantle-conformance/<version>`: an endpoint's logs (and its owners) can tell the harness's
 * requests from an application's, as the official SDKs name themselves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';

const VERSION = (JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string }).version;

export const USER_AGENT = `mantle-conformance/${VERSION}`;
