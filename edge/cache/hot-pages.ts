// The first cache tier: the hottest anonymous pages kept in the isolate's memory, in front of
// caches.default (the colo's cache), as the seed kept in-process caches in front of memcached.
// A hit here costs no cache round trip. Keys are the same versioned keys as the shared cache, so
// a purge (a new generation) misses here too; entries expire with the shared copy's freshness.

export interface HotPage {
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
}

const MAX_ENTRIES = 256;
const MAX_BYTES = 8 * 1024 * 1024;
const pages = new Map<string, HotPage>();
let bytes = 0;

/** The stored page (the caller builds the one Response it serves from it), or undefined. */
export function hotPage(key: string): HotPage | undefined {
  const page = pages.get(key);
  if (!page) return undefined;
  // Map order is the LRU order: move to the back on use.
  pages.delete(key);
  pages.set(key, page);
  return page;
}

export async function keepHot(key: string, response: Response): Promise<void> {
  const body = await response.arrayBuffer();
  if (body.byteLength > MAX_BYTES / 16) return;
  const old = pages.get(key);
  if (old) {
    bytes -= old.body.byteLength;
    pages.delete(key);
  }
  pages.set(key, { status: response.status, headers: [...response.headers], body });
  bytes += body.byteLength;
  for (const [oldest, page] of pages) {
    if (pages.size <= MAX_ENTRIES && bytes <= MAX_BYTES) break;
    pages.delete(oldest);
    bytes -= page.body.byteLength;
  }
}

/** Tests: start empty. */
export function clearHotPages(): void {
  pages.clear();
  bytes = 0;
}
