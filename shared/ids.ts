// Ids are 64-bit and travel as decimal strings (JSON numbers lose precision past 2^53).
// Layout, high to low bit (63 bits used, so ids stay positive in a Postgres bigint):
//   41 bits  milliseconds since ID_EPOCH   -> ids sort by creation time (k-sorted)
//   10 bits  logical shard (0..1023)       -> any id routes to its shard without a lookup
//    6 bits  generator slot, leased        -> up to 64 processes generate without coordination
//    6 bits  sequence within the ms        -> 64 ids per ms per shard per generator, more by borrowing ms
// The generator itself lives at the origin (origin/store/ids.ts); this module only reads ids.

export const ID_EPOCH_MS = Date.UTC(2026, 0, 1);
export const LOGICAL_SHARDS = 1024;
export const TIME_BITS = 41n;
export const SHARD_BITS = 10n;
export const SLOT_BITS = 6n;
export const SEQ_BITS = 6n;
export const SHARD_SHIFT = SLOT_BITS + SEQ_BITS;
export const TIME_SHIFT = SHARD_BITS + SHARD_SHIFT;

const ID_PATTERN = /^[1-9][0-9]{0,18}$/;
const MAX_ID = (1n << 63n) - 1n;

/** Parses a decimal id string; returns null for anything that is not a well-formed id. */
export function parseId(text: string): bigint | null {
  if (!ID_PATTERN.test(text)) return null;
  const value = BigInt(text);
  return value > 0n && value <= MAX_ID ? value : null;
}

export function isId(text: string): boolean {
  return parseId(text) !== null;
}

export function shardOfId(id: bigint | string): number {
  const value = typeof id === 'string' ? BigInt(id) : id;
  return Number((value >> SHARD_SHIFT) & ((1n << SHARD_BITS) - 1n));
}

/** Milliseconds since the Unix epoch at which the id was minted. Exact as a double (< 2^53). */
export function timeOfId(id: bigint | string): number {
  const value = typeof id === 'string' ? BigInt(id) : id;
  return Number(value >> TIME_SHIFT) + ID_EPOCH_MS;
}

export function composeId(timeMs: number, shard: number, slot: number, seq: number): bigint {
  return (
    (BigInt(timeMs - ID_EPOCH_MS) << TIME_SHIFT) |
    (BigInt(shard) << SHARD_SHIFT) |
    (BigInt(slot) << SEQ_BITS) |
    BigInt(seq)
  );
}
