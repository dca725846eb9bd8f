/**
 * @module transport/command-end
 * What must end when a command is over, registered by the module that opened it (proxy-agents.ts registers its proxy
 * agents), so that bin.ts ends it without loading undici for a command that never sent a request.
 */

/** An ending: resolves true when what it ended may leave sockets undici no longer tracks (the process should exit). */
type Ending = () => Promise<boolean>;

const endings = new Set<Ending>();

export function atCommandEnd(ending: Ending): void {
  endings.add(ending);
}

/** Runs every ending once; true when one asks for the process to exit rather than wait for its event loop to drain. */
export async function endCommand(): Promise<boolean> {
  const all = [...endings];
  endings.clear();
  const asks = await Promise.all(all.map((ending) => ending().catch(() => true)));
  return asks.some(Boolean);
}
