// The Lua scripts behind RedisTimelines (redis-timelines.ts). One timeline is a few Redis keys
// that share one hash tag, so every script touches one cluster slot:
//
//   <key>      the HEAD: a list of the newest entries (up to SEGMENT_ENTRIES), in any order, and
//              the sentinel "~" at its tail
//   <key>:<k>  SEALED SEGMENTS 1, 2, 3...: lists of older entries, oldest number = oldest entries
//   <key>:s    a hash: n = newest segment, o = oldest kept; per segment k: k = its newest id,
//              kl = its lowest id, kc = its fresh entries (below); b = 1 while the timeline is
//              BUILDING; t = the truncation floor (below)
//
// An entry is two list elements, the item id and its event type's index, both integers in a
// listpack: about 12 bytes an entry, where a sorted set's listpack took about 20 (the filter
// bench measures it). Ids are k-sorted, so id order is time order and no score is stored. Lua
// compares ids as decimal strings (length, then bytes): a double holds only 53 of their 63 bits.
//
// Why lists: one LPUSHX per timeline is the whole of a fan-out insert. It skips a missing
// timeline (the sentinel keeps an empty head alive, so "no head" means "no timeline"), adds the
// entry and returns the head's length, in one native call that scans nothing. A sorted-set head
// needed a ZCARD (does it exist, is it full?) and a ZADD that scans its whole listpack for the
// member. Redis CPU per insert, 3,000 full timelines, 150 per call, alternating runs of a
// throwaway micro-benchmark: 3.3-5.0 µs with sorted sets, 2.9-4.2 µs with lists.
//
// A head longer than SEGMENT_ENTRIES is sealed: RENAMEd into a new segment (O(1); a duplicate
// from a retried job is dropped) and replaced by a head holding only the sentinel. Nothing is
// moved: fan-out jobs run concurrently, so most heads hold a few LATE entries, older than the
// newest of an earlier segment, and moving each to the segment covering it cost more than the
// rest of the seal. So segments may overlap, and a read works out what it holds completely:
// segments o..k hold nothing newer than their newest ids' maximum (their ceiling), so after
// reading the head and segments n..k, every entry above the ceiling of o..k-1 is complete. A
// page reads newest first until it has as many complete entries as asked, and returns only
// those; the client orders them. A segment's FRESH entries (kc) are those newer than every
// earlier segment when it was sealed.
//
// Trimming drops whole oldest segments while the newer ones still hold the maximum length in
// fresh entries, so a timeline keeps at least the maximum and at most a segment more, besides
// late entries. TRUNCATED (t): entries were trimmed (t = the newest id dropped, the highest so
// far), or the rebuild loaded as many as the timeline keeps (t = the oldest id loaded). The
// timeline holds every entry newer than t's millisecond; of that millisecond and before it may
// lack some, so pages return nothing older and readers continue in Postgres from there.

/** Head length (entries) at which it is sealed into a segment. */
export const SEGMENT_ENTRIES = 100;
/** The head's last element: present from creation on, so the head exists while the timeline does. */
export const HEAD_SENTINEL = '~';
/** What an element is overwritten with before LREM removes it (no id or type looks like it). */
const TOMBSTONE = '~x';

// Shared by the scripts.
const COMMON = `
local function segkey(H, k) return H .. ':' .. k end

-- a < b for ids as canonical decimal strings.
local function older(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end

local function hashOf(hs)
  local flat = redis.call('HGETALL', hs)
  local m = {}
  for i = 1, #flat, 2 do m[flat[i]] = flat[i + 1] end
  return m
end

-- Removes the entries (id, type) at the given element positions (0-based, of the id).
local function dropAt(key, positions)
  if #positions == 0 then return end
  for _, p in ipairs(positions) do
    redis.call('LSET', key, p, '${TOMBSTONE}')
    redis.call('LSET', key, p + 1, '${TOMBSTONE}')
  end
  redis.call('LREM', key, 0, '${TOMBSTONE}')
end

-- The floor only moves forward: a late entry kept below an earlier floor does not make the
-- timeline complete down to it.
local function raiseFloor(hs, id)
  local before = redis.call('HGET', hs, 't')
  if before and older(id, before) then id = before end
  redis.call('HSET', hs, 't', id)
end

-- Every key of a timeline: the head, then the kept segments newest first.
local function allkeys(H)
  local keys = { H }
  local meta = redis.call('HMGET', H .. ':s', 'n', 'o')
  local n, o = tonumber(meta[1]), tonumber(meta[2])
  if n and o then for k = n, o, -1 do keys[#keys + 1] = segkey(H, k) end end
  return keys
end
`;

const SEAL = `
-- Drops whole oldest segments while the newer ones still hold max fresh entries; the floor
-- rises to the newest id dropped.
local function trim(H, hs, m, o, n, max)
  local total = 0
  for k = o, n do total = total + tonumber(m[k .. 'c']) end
  local from = o
  while o < n and total - tonumber(m[o .. 'c']) >= max do
    redis.call('DEL', segkey(H, o))
    redis.call('HDEL', hs, o, o .. 'c', o .. 'l')
    raiseFloor(hs, m['' .. o])
    total = total - tonumber(m[o .. 'c'])
    o = o + 1
  end
  if o > from then redis.call('HSET', hs, 'o', o) end
end

local function seal(H, max)
  local hs = H .. ':s'
  local m = hashOf(hs)
  local last = tonumber(m['n']) or 0
  local o = tonumber(m['o']) or 1
  -- Entries not newer than every segment's newest are late: kept, but not counted as fresh.
  local bound = nil
  for k = o, last do
    if not bound or older(bound, m['' .. k]) then bound = m['' .. k] end
  end
  local els = redis.call('LRANGE', H, 0, -2)
  local seen, dups = {}, {}
  local fresh, newest, lowest = 0, nil, nil
  for j = 1, #els - 1, 2 do
    local id = els[j]
    if seen[id] then
      dups[#dups + 1] = j - 1
    else
      seen[id] = true
      if not bound or older(bound, id) then fresh = fresh + 1 end
      if not newest or older(newest, id) then newest = id end
      if not lowest or older(id, lowest) then lowest = id end
    end
  end
  if not newest then return end
  local n = last + 1
  local seg = segkey(H, n)
  redis.call('RENAME', H, seg)
  redis.call('RPOP', seg)
  redis.call('RPUSH', H, '${HEAD_SENTINEL}')
  dropAt(seg, dups)
  local ttl = redis.call('PTTL', seg)
  if ttl > 0 then redis.call('PEXPIRE', H, ttl) end
  redis.call('HSET', hs, 'n', n, 'o', o, n, newest, n .. 'c', fresh, n .. 'l', lowest)
  if ttl > 0 then redis.call('PEXPIRE', hs, ttl) end
  m['' .. n], m[n .. 'c'], m[n .. 'l'] = newest, tostring(fresh), lowest
  trim(H, hs, m, o, n, max)
end

-- Adds the entries ARGV[first..last] to the timeline whose head is H, unless it does not exist
-- (LPUSHX creates nothing: 0), and seals a full head. Returns how many entries landed.
local function push(H, first, last, C, max)
  local len = redis.call('LPUSHX', H, unpack(ARGV, first, last))
  if len == 0 then return 0 end
  if len > 2 * C + 1 then seal(H, max) end
  return (last - first + 1) / 2
end
`;

/**
 * Adds entries to many timelines in one call, skipping timelines that do not exist. Timelines
 * that get the same entries form a group, so each entry is sent once per group, not per timeline.
 * ARGV: segment size, max length, then per group: entry count E, E x (type index, id), key count
 * K; the group's K keys are the next K of KEYS.
 */
export const ADD_SCRIPT = `${COMMON}${SEAL}
local C = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local pos = 3
local ki = 1
local landed = 0
while pos <= #ARGV do
  local ne = tonumber(ARGV[pos])
  local first, last = pos + 1, pos + 2 * ne
  local nk = tonumber(ARGV[last + 1])
  pos = last + 2
  for i = ki, ki + nk - 1 do landed = landed + push(KEYS[i], first, last, C, max) end
  ki = ki + nk
end
return landed`;

/**
 * ADD_SCRIPT for MRIs named by lists of owners (mri-list.ts): the script builds each key, prefix
 * .. owner .. suffix. A single Redis only: the keys are not declared, which a cluster refuses
 * for keys of other slots (there every MRI key goes through ADD_SCRIPT, grouped by slot).
 * ARGV: segment size, max length, key suffix, then per group: key prefix, entry count E,
 * E x (type index, id), the owners (comma-separated ids).
 */
export const ADD_LIST_SCRIPT = `${COMMON}${SEAL}
local C = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local suffix = ARGV[3]
local pos = 4
local landed = 0
while pos <= #ARGV do
  local prefix = ARGV[pos]
  local ne = tonumber(ARGV[pos + 1])
  local first, last = pos + 2, pos + 1 + 2 * ne
  for owner in string.gmatch(ARGV[last + 1], '[^,]+') do
    landed = landed + push(prefix .. owner .. suffix, first, last, C, max)
  end
  pos = last + 2
end
return landed`;

/**
 * A page: the entries older than id ARGV[1] and not older than id ARGV[2] ('' = no bound) that
 * the timeline holds completely: from the head and the segments read newest first, until ARGV[3]
 * of them are newer than every segment left unread (a late entry in a newer segment may be older
 * than entries of those). Returns the state (2 ready, 1 building, 0 missing; a read renews the
 * expiry of every key, ARGV[4] ms), the truncation floor id ('' = none), then id, type index,
 * id, ... unordered, each entry once.
 */
export const PAGE_SCRIPT = `${COMMON}
local H = KEYS[1]
local before, since, want, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local head = redis.call('LRANGE', H, 0, -1)
if #head == 0 then return { 0, '' } end
local hs = H .. ':s'
local m = hashOf(hs)
-- out: state, floor, then the candidates (id, type); those not above the cut are dropped at the end.
local out = { m['b'] and 1 or 2, m['t'] or '' }
local nb, ns = #before, #since
-- Each entry once: a retried job may have landed one in two segments, and a copy counted
-- towards the page would leave it short, which readers take for the end of the timeline.
local seen = {}
local function take(list)
  for j = 1, #list - 1, 2 do
    local id = list[j]
    local n = #id
    if (nb == 0 or n < nb or (n == nb and id < before)) and (ns == 0 or n > ns or (n == ns and id >= since)) and not seen[id] then
      seen[id] = true
      out[#out + 1] = id
      out[#out + 1] = list[j + 1]
    end
  end
end
-- Candidates above cut (all when cut is nil).
local function above(cut)
  if not cut then return (#out - 2) / 2 end
  local c, count = #cut, 0
  for i = 3, #out, 2 do
    local id = out[i]
    if #id > c or (#id == c and id > cut) then count = count + 1 end
  end
  return count
end
take(head)
redis.call('PEXPIRE', H, ttl)
local n, o = tonumber(m['n']), tonumber(m['o'])
local cut = nil
if next(m) ~= nil then redis.call('PEXPIRE', hs, ttl) end
if n then
  for k = o, n do redis.call('PEXPIRE', segkey(H, k), ttl) end
  -- ceiling[k]: the newest id of segments o..k, above which they hold nothing.
  local ceiling = {}
  for k = o, n do
    local c = ceiling[k - 1]
    ceiling[k] = (c and older(m['' .. k], c)) and c or m['' .. k]
  end
  for k = n, o, -1 do
    if ns > 0 and older(ceiling[k], since) then break end
    if nb == 0 or older(m[k .. 'l'], before) then take(redis.call('LRANGE', segkey(H, k), 0, -1)) end
    cut = ceiling[k - 1]
    if not cut then break end
    if (#out - 2) / 2 >= want and above(cut) >= want then break end
  end
end
if not cut then return out end
local kept, c = 2, #cut
for i = 3, #out, 2 do
  local id = out[i]
  if #id > c or (#id == c and id > cut) then
    out[kept + 1] = id
    out[kept + 2] = out[i + 1]
    kept = kept + 2
  end
end
for i = #out, kept + 1, -1 do out[i] = nil end
return out`;

/** 2 = ready, 1 = building, 0 = missing; renews the expiry of every key of the timeline. */
export const STATE_SCRIPT = `${COMMON}
local H = KEYS[1]
if redis.call('EXISTS', H) == 0 then return 0 end
for _, key in ipairs(allkeys(H)) do redis.call('PEXPIRE', key, ARGV[1]) end
redis.call('PEXPIRE', H .. ':s', ARGV[1])
if redis.call('HEXISTS', H .. ':s', 'b') == 1 then return 1 end
return 2`;

/** Creates a BUILDING timeline unless one exists; remnants of an expired one are removed first. */
export const BEGIN_SCRIPT = `${COMMON}
local H = KEYS[1]
if redis.call('EXISTS', H) == 1 then return 0 end
for _, key in ipairs(allkeys(H)) do redis.call('DEL', key) end
redis.call('DEL', H .. ':s')
redis.call('RPUSH', H, '${HEAD_SENTINEL}')
redis.call('HSET', H .. ':s', 'b', 1)
redis.call('PEXPIRE', H, ARGV[1])
redis.call('PEXPIRE', H .. ':s', ARGV[1])
return 1`;

/**
 * Completes a rebuild: merges the loaded entries (ARGV[4..]: id, type index pairs, newest first)
 * with those fan-out landed meanwhile, keeps the newest max, lays them out as full segments plus
 * a head, and marks the timeline READY. ARGV: segment size, max length, ttl.
 */
export const COMPLETE_SCRIPT = `${COMMON}
local H = KEYS[1]
local C, max, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
-- What landed during the rebuild (few entries), sorted, then merged with the loaded ones.
local landed = {}
for _, key in ipairs(allkeys(H)) do
  local r = redis.call('LRANGE', key, 0, -1)
  for j = 1, #r - 1, 2 do landed[#landed + 1] = { r[j], r[j + 1] } end
  redis.call('DEL', key)
end
local hs = H .. ':s'
redis.call('DEL', hs)
table.sort(landed, function(a, b) return older(b[1], a[1]) end)
local ids, types, seen = {}, {}, {}
local i, j = 1, 4
while #ids < max and (i <= #landed or j < #ARGV) do
  local id, t
  if j < #ARGV and (i > #landed or not older(ARGV[j], landed[i][1])) then
    id, t = ARGV[j], ARGV[j + 1]
    j = j + 2
  else
    id, t = landed[i][1], landed[i][2]
    i = i + 1
  end
  if not seen[id] then
    seen[id] = true
    ids[#ids + 1] = id
    types[#types + 1] = t
  end
end
local total = #ids
local loaded = (#ARGV - 3) / 2
-- More than it keeps, or a full load: Postgres may hold older entries.
local truncated = total > 0 and ((#landed + loaded) > max or loaded >= max)
local nseg = 0
if total > C then nseg = math.floor((total - 1) / C) end
local function write(key, first, last, tail)
  local args = {}
  for r = first, last do
    args[#args + 1] = ids[r]
    args[#args + 1] = types[r]
  end
  if tail then args[#args + 1] = tail end
  if #args > 0 then redis.call('RPUSH', key, unpack(args)) end
end
-- Segment k (1 = oldest) holds ranks total-k*C+1 .. total-(k-1)*C; the head the newest rest.
for k = 1, nseg do
  local first = total - k * C + 1
  write(segkey(H, k), first, first + C - 1)
  redis.call('HSET', hs, k, ids[first], k .. 'c', C, k .. 'l', ids[first + C - 1])
  redis.call('PEXPIRE', segkey(H, k), ttl)
end
write(H, 1, total - nseg * C, '${HEAD_SENTINEL}')
if nseg > 0 then redis.call('HSET', hs, 'n', nseg, 'o', 1) end
if truncated then redis.call('HSET', hs, 't', ids[total]) end
redis.call('PEXPIRE', H, ttl)
redis.call('PEXPIRE', hs, ttl)
return total`;

/** Removes items (ARGV: ids) from the head and every segment of each timeline (KEYS: heads). */
export const REMOVE_SCRIPT = `${COMMON}
local removed = 0
for i = 1, #KEYS do
  local H = KEYS[i]
  local hs = H .. ':s'
  local meta = redis.call('HMGET', hs, 'n', 'o')
  local n, o = tonumber(meta[1]), tonumber(meta[2])
  local sets = { { H, nil } }
  if n and o then for k = n, o, -1 do sets[#sets + 1] = { segkey(H, k), k } end end
  for _, s in ipairs(sets) do
    local positions = {}
    for _, id in ipairs(ARGV) do
      local found = redis.call('LPOS', s[1], id, 'COUNT', 0)
      for _, p in ipairs(found) do positions[#positions + 1] = p end
    end
    if #positions > 0 then
      dropAt(s[1], positions)
      removed = removed + #positions
      -- The removed may have been late ones, not counted as fresh: the count never goes below 0.
      if s[2] and redis.call('HINCRBY', hs, s[2] .. 'c', -#positions) < 0 then redis.call('HSET', hs, s[2] .. 'c', 0) end
    end
  end
end
return removed`;

/** Deletes every key of a timeline. */
export const CLEAR_SCRIPT = `${COMMON}
local H = KEYS[1]
for _, key in ipairs(allkeys(H)) do redis.call('DEL', key) end
redis.call('DEL', H .. ':s')
return 0`;
