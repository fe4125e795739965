// Lists on pages: how a page with a stream (front, home, profile, tags, notifications) shows fewer entries when it
// does not fit its budget. The loader asks the origin again with a smaller limit, so the
// "older" cursor it returns continues right after the last entry shown (cursors are opaque).
import type { PageList } from './render.js';

export function streamList<M extends { entries: readonly unknown[] }>(
  load: (limit: number) => Promise<M>,
): PageList<M> {
  return {
    count: (model) => model.entries.length,
    shorten: (_model, count) => load(count),
  };
}
