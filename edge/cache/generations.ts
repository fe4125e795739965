// Versioned cache keys: instead of deleting every copy of a page (variants x budget steps x
// languages x paging cursors: hundreds of keys), each cached thing carries the generation of its
// scope (a tenant + path, e.g. "/u/alice", or a fragment name) in its key. A write bumps the
// generation: one small cache entry per scope, so every old copy is unreachable at once and ages
// out on its own. Generations live in caches.default (shared by the colo's isolates) and are
// memoized in the isolate for GENERATION_MEMO_MS, so other isolates see a bump within that time
// (and other colos within the pages' freshness, FRESH_SECONDS); the writing isolate at once.
export const GENERATION_MEMO_MS = 2000;
const GENERATION_TTL_SECONDS = 2 * 24 * 60 * 60;
const MEMO_MAX_ENTRIES = 2000;

const memo = new Map<string, { generation: string; until: number }>();

function key(tenantId: string, scope: string): string {
  return `https://cache.chorus.internal/_generations/${encodeURIComponent(tenantId)}/${encodeURIComponent(scope)}`;
}

function remember(k: string, generation: string): void {
  if (memo.size >= MEMO_MAX_ENTRIES) memo.delete(memo.keys().next().value!);
  memo.set(k, { generation, until: Date.now() + GENERATION_MEMO_MS });
}

/** The current generation of a scope ('0' until the first write). */
export async function generationOf(tenantId: string, scope: string): Promise<string> {
  const k = key(tenantId, scope);
  const memoized = memo.get(k);
  if (memoized && memoized.until > Date.now()) return memoized.generation;
  let generation = '0';
  try {
    const hit = await caches.default.match(k);
    if (hit) generation = (await hit.text()).slice(0, 20) || '0';
  } catch {
    // cache unavailable: generation 0 (pages still expire by age)
  }
  remember(k, generation);
  return generation;
}

/** A write changed this scope: everything cached under the old generation is out of date. */
export async function bumpGeneration(tenantId: string, scope: string): Promise<void> {
  const k = key(tenantId, scope);
  const generation = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  remember(k, generation);
  const entry = new Response(generation, {
    headers: { 'content-type': 'text/plain', 'cache-control': `public, max-age=${GENERATION_TTL_SECONDS}` },
  });
  await caches.default.put(k, entry).catch(() => undefined);
}

/** For tests: forget memoized generations. */
export function forgetGenerations(): void {
  memo.clear();
}
