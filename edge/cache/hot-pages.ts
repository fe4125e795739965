// The first cache tier: the hottest anonymous pages kept in the isolate's memory, in front of
// caches.default (the colo's cache), as the seed kept in-process caches in front of memcached.
// A hit here costs no cache round trip. Keys are the same versioned keys as the shared cache, so
// a purge (a new generation) misses here too; entries expire with the shared copy's freshness.
//
// An entry keeps what a hit needs to build its Response cheaply in workerd: a Headers object
// (copying one took ~3 µs; building one from [name, value] pairs ~40 µs, measured inside
// workerd) and a Blob, whose bytes a Response shares instead of copying them.

export interface HotPage {
  status: number;
  /** Never changed after it is stored: a hit copies it. */
  headers: Headers;
  /** Stored-at time (ms), read once here rather than from the headers on every hit. */
  storedAt: number;
  body: Blob;
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

export function keepHot(key: string, page: HotPage): void {
  if (page.body.size > MAX_BYTES / 16) return;
  const old = pages.get(key);
  if (old) {
    bytes -= old.body.size;
    pages.delete(key);
  }
  pages.set(key, page);
  bytes += page.body.size;
  for (const [oldest, entry] of pages) {
    if (pages.size <= MAX_ENTRIES && bytes <= MAX_BYTES) break;
    pages.delete(oldest);
    bytes -= entry.body.size;
  }
}

/** Tests: start empty. */
export function clearHotPages(): void {
  pages.clear();
  bytes = 0;
}
