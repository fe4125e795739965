// The last step of every stream read: item rows plus hydrated members become API entries.
import type { ImageVariant, Member, StreamEntry } from '../../shared/api.js';
import type { EventType } from '../../shared/events.js';
import type { ItemRow } from '../items/items.js';

export interface Hydrated {
  members: Map<string, Member>;
  /** Items that entries are about (liked photos, commented posts), when the viewer may see them. */
  objects: Map<string, ItemRow>;
}

export function presentEntry(item: ItemRow, h: Hydrated): StreamEntry | null {
  const actor = h.members.get(item.actorId.toString());
  if (!actor) return null; // a deleted account
  let object: { id: string; type: EventType; text: string; actor: Member } | null = null;
  if (item.objectId !== null) {
    const o = h.objects.get(item.objectId.toString());
    const oActor = o && h.members.get(o.actorId.toString());
    if (!o || !oActor) return null; // the object is gone or hidden from this viewer
    object = { id: o.id.toString(), type: o.verb as EventType, text: o.text, actor: oActor };
  }
  const d = item.data;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    id: item.id.toString(),
    type: item.verb as EventType,
    text: item.text,
    audience: item.audience,
    createdAt: item.createdAt.toISOString(),
    actor,
    object,
    target: item.targetId === null ? null : (h.members.get(item.targetId.toString()) ?? null),
    images: Array.isArray(d.images) ? (d.images as ImageVariant[]) : [],
    url: str(d.url),
    title: str(d.title),
    place: str(d.place),
    tags: Array.isArray(d.tags) ? (d.tags as string[]) : [],
    game: (d.game as StreamEntry['game']) ?? null,
    group: str(d.group),
    others: [],
    actorCount: 1,
  };
}
