// The last step of every stream read: turn item rows plus hydrated actors into API entries.
import type { Member, StreamEntry } from '../../shared/api.js';
import type { ItemRow } from '../items/items.js';

export function presentEntry(item: ItemRow, actor: Member): StreamEntry {
  return {
    id: item.id.toString(),
    verb: 'status',
    text: item.text,
    audience: item.audience,
    createdAt: item.createdAt.toISOString(),
    actor,
  };
}
