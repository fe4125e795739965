// Aggregation: reactions by several people to the same item close together in time become one
// entry ("Ann and 3 others liked Bob's photo"). Runs after rules, before presentation.
import { ITEM_REACTIONS } from '../../shared/events.js';
import type { ItemRow } from '../items/items.js';

export const AGGREGATION_WINDOW_MS = 24 * 3_600_000;

export interface Group {
  /** The newest item: the one presented. */
  lead: ItemRow;
  /** Older items folded into it, newest first. */
  rest: ItemRow[];
}

/** The key items aggregate by, or null for items that stand alone. */
function keyOf(item: ItemRow): string | null {
  if (item.objectId === null || !(ITEM_REACTIONS as readonly string[]).includes(item.verb)) return null;
  return `${item.verb}:${item.objectId}`;
}

/**
 * Groups newest-first items; stops before starting group `limit + 1` and reports how many items
 * were consumed (the cursor goes after the last of them).
 */
export function aggregate(items: ItemRow[], limit: number): { groups: Group[]; consumed: number } {
  const groups: Group[] = [];
  const open = new Map<string, Group>();
  let consumed = 0;
  for (const item of items) {
    const key = keyOf(item);
    const group = key === null ? undefined : open.get(key);
    if (group && group.lead.createdAt.getTime() - item.createdAt.getTime() <= AGGREGATION_WINDOW_MS) {
      // One actor twice (two comments) still counts once.
      group.rest.push(item);
    } else {
      if (groups.length === limit) break;
      const g = { lead: item, rest: [] };
      groups.push(g);
      if (key !== null) open.set(key, g);
    }
    consumed++;
  }
  return { groups, consumed };
}
