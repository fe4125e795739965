// The Lua scripts behind RedisTimelines (redis-timelines.ts). One timeline is a few sorted sets
// that share one hash tag, so every script touches one cluster slot:
//
//   <key>        the HEAD: the newest entries (at most SEGMENT_ENTRIES + 1) and two markers
//   <key>:<n>    SEALED SEGMENTS 1, 2, 3... each a former head, oldest number = oldest entries
//   <key>:s      a hash: n = newest segment, o = oldest kept, <k> = score of segment k's newest entry
//
// Why segments: in Redis's compact listpack encoding (about 20 bytes an entry, a skiplist takes
// about 120) every ZADD scans the whole set to check the member, so inserting into one sorted set
// of 800 entries cost 16 µs; into a head of at most 100 entries it costs about 1 µs. A full head is
// sealed by RENAME (O(1)) and a new head starts. Segments are disjoint and ordered in time:
// segment k holds scores in [bound k, bound k-1), the head everything newer than the newest
// segment, except for late entries (backfills, retries) that land in the head after a newer
// segment was sealed; sealing moves those into the segment that covers them. Reads take the head
// plus segments newest first until the page is full, so a page costs one or two sets.
//
// Scores: OFFSET - (ms * 32 + type index): the newest entry has the LOWEST score, so a new entry
// goes to the front of the listpack, where ZADD finds its place at once (with ascending scores
// it walked past every entry: 2.5x the cost). Exact in a double (< 2^50 until the year 3000).
// Markers have negative scores, so they sit before every entry:
//   ~m  always present; its score is minus the newest segment's bound (-2^51: no segment yet)
//   ~b  present while the timeline is BUILDING (a rebuild is loading it)
//   ~t  TRUNCATED: entries were trimmed, or the rebuild loaded as many as the timeline keeps; its
//       score is minus the millisecond of the oldest entry kept then. The timeline may lack
//       entries of that millisecond and before (late arrivals do not fill the gap), so pages
//       return only newer ones and readers continue in Postgres.
// Members are the bare decimal item ids, which a listpack stores as 64-bit integers.

/** Head size at which it is sealed into a segment (below Redis's default listpack limit, 128). */
export const SEGMENT_ENTRIES = 100;
export const SCORE_OFFSET = 2 ** 50;
/** "No segment yet": larger than any score, so nothing counts as older than a segment. */
export const NO_BOUND = 2 ** 51;

// Shared by the scripts: seal the head into a new segment, then trim to the maximum length.
const SEAL = `
local function segkey(H, k) return H .. ':' .. k end

local function msOf(score) return math.floor((${SCORE_OFFSET} - tonumber(score)) / 32) end

local function trim(H, hs, o, n, max)
  local cards, total = {}, 0
  for k = o, n do cards[k] = redis.call('ZCARD', segkey(H, k)); total = total + cards[k] end
  if total <= max then return end
  while o < n and total - cards[o] >= max do
    redis.call('DEL', segkey(H, o))
    redis.call('HDEL', hs, o)
    total = total - cards[o]
    o = o + 1
  end
  redis.call('HSET', hs, 'o', o)
  if total > max then redis.call('ZREMRANGEBYRANK', segkey(H, o), cards[o] - (total - max), -1) end
  -- The floor only moves forward: a late entry kept below an earlier floor does not make the
  -- timeline complete down to it.
  local oldest = redis.call('ZRANGE', segkey(H, o), -1, -1, 'WITHSCORES')
  if #oldest > 0 then
    local ms = msOf(oldest[2])
    local before = redis.call('ZSCORE', H, '~t')
    if before and -tonumber(before) > ms then ms = -tonumber(before) end
    redis.call('ZADD', H, -ms, '~t')
  end
end

local function seal(H, max)
  local hs = H .. ':s'
  local meta = redis.call('HMGET', hs, 'n', 'o')
  local last = tonumber(meta[1]) or 0
  local o = tonumber(meta[2]) or 1
  local n = last + 1
  local seg = segkey(H, n)
  -- Scores stay strings where they are written back: Lua prints numbers with 14 digits.
  local marker = redis.call('ZSCORE', H, '~m')
  local bound = -tonumber(marker)
  local building = redis.call('ZSCORE', H, '~b')
  local floor = redis.call('ZSCORE', H, '~t')
  redis.call('RENAME', H, seg)
  redis.call('ZREMRANGEBYSCORE', seg, '-inf', '(0')
  if last >= o then
    -- Late entries, older than the newest segment's bound: into the segment that covers them.
    local late = redis.call('ZRANGEBYSCORE', seg, bound, '+inf', 'WITHSCORES')
    if #late > 0 then
      redis.call('ZREMRANGEBYSCORE', seg, bound, '+inf')
      local bounds = {}
      for k = o, last do bounds[k] = tonumber(redis.call('HGET', hs, k)) end
      for j = 1, #late, 2 do
        local s = tonumber(late[j + 1])
        local target = last
        for k = o, last do
          if s >= bounds[k] then target = k; break end
        end
        redis.call('ZADD', segkey(H, target), late[j + 1], late[j])
      end
    end
  end
  local newest = redis.call('ZRANGE', seg, 0, 0, 'WITHSCORES')
  if #newest == 0 then
    redis.call('DEL', seg)
    n = last
  else
    marker = '-' .. newest[2]
    redis.call('HSET', hs, 'n', n, 'o', o, n, newest[2])
  end
  redis.call('ZADD', H, marker, '~m')
  if building then redis.call('ZADD', H, -1, '~b') end
  if floor then redis.call('ZADD', H, floor, '~t') end
  local ttl = redis.call('PTTL', seg)
  if ttl < 0 then ttl = redis.call('PTTL', hs) end
  if ttl > 0 then
    redis.call('PEXPIRE', H, ttl)
    redis.call('PEXPIRE', hs, ttl)
  end
  if n >= o then trim(H, hs, o, n, max) end
end
`;

/** The head, then the kept segments newest first: every set of a timeline. */
const ALL_KEYS = `
local function allkeys(H)
  local keys = { H }
  local meta = redis.call('HMGET', H .. ':s', 'n', 'o')
  local n, o = tonumber(meta[1]), tonumber(meta[2])
  if n and o then for k = n, o, -1 do keys[#keys + 1] = H .. ':' .. k end end
  return keys
end
`;

/**
 * Adds entries to many timelines in one call, skipping timelines that do not exist. Timelines
 * that get the same entries form a group, so each entry is sent once per group, not per timeline.
 * ARGV: segment size, max length, then per group: entry count E, E x (score, member), key count K;
 * the group's K keys are the next K of KEYS.
 */
export const ADD_SCRIPT = `${SEAL}
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
  for i = ki, ki + nk - 1 do
    local H = KEYS[i]
    -- The markers make an existing head at least 1 long: 0 = no timeline, skip it.
    local card = redis.call('ZCARD', H)
    if card > 0 then
      redis.call('ZADD', H, unpack(ARGV, first, last))
      landed = landed + ne
      if card + ne > C + 1 then seal(H, max) end
    end
  end
  ki = ki + nk
end
return landed`;

/**
 * A page: entries with scores in [ARGV[1], ARGV[2]] and not older than the truncation
 * millisecond, at most ARGV[3] from the head and as many from the segments, read newest first
 * until enough. Returns the state (2 ready, 1 building, 0 missing; a read renews the expiry of
 * every set, ARGV[4] ms), the truncation millisecond (0: none), then member, score, member, ...
 */
export const PAGE_SCRIPT = `${ALL_KEYS}
local H = KEYS[1]
local lo, hi, want = ARGV[1], ARGV[2], tonumber(ARGV[3])
if not redis.call('ZSCORE', H, '~m') then return { 0, 0 } end
local state = redis.call('ZSCORE', H, '~b') and 1 or 2
local floor = redis.call('ZSCORE', H, '~t')
local out = { state, 0 }
if floor then
  local ms = -tonumber(floor)
  out[2] = ms
  -- The last score of millisecond ms (type 0): higher scores are older (late entries below it).
  local cut = ${SCORE_OFFSET} - ms * 32
  if cut < tonumber(hi) then hi = string.format('%.0f', cut) end
end
local head = redis.call('ZRANGEBYSCORE', H, lo, hi, 'WITHSCORES', 'LIMIT', 0, want)
for j = 1, #head do out[#out + 1] = head[j] end
redis.call('PEXPIRE', H, ARGV[4])
local meta = redis.call('HGETALL', H .. ':s')
if #meta == 0 then return out end
redis.call('PEXPIRE', H .. ':s', ARGV[4])
local m = {}
for i = 1, #meta, 2 do m[meta[i]] = tonumber(meta[i + 1]) end
local n, o = m['n'], m['o']
for k = o, n do redis.call('PEXPIRE', H .. ':' .. k, ARGV[4]) end
local lon, hin = tonumber(lo), tonumber(hi)
local got = 0
for k = n, o, -1 do
  local bound = m['' .. k]
  if bound > hin then break end
  local upper = (k > o) and m['' .. (k - 1)] or math.huge
  if upper > lon then
    local r = redis.call('ZRANGEBYSCORE', H .. ':' .. k, lo, hi, 'WITHSCORES', 'LIMIT', 0, want - got)
    for j = 1, #r do out[#out + 1] = r[j] end
    got = got + #r / 2
    if got >= want then break end
  end
end
return out`;

/** 2 = ready, 1 = building, 0 = missing; renews the expiry of every set of the timeline. */
export const STATE_SCRIPT = `${ALL_KEYS}
local H = KEYS[1]
if not redis.call('ZSCORE', H, '~m') then return 0 end
local state = redis.call('ZSCORE', H, '~b') and 1 or 2
for _, key in ipairs(allkeys(H)) do redis.call('PEXPIRE', key, ARGV[1]) end
redis.call('PEXPIRE', H .. ':s', ARGV[1])
return state`;

/** Creates a BUILDING timeline unless one exists; remnants of an expired one are removed first. */
export const BEGIN_SCRIPT = `${ALL_KEYS}
local H = KEYS[1]
if redis.call('ZSCORE', H, '~m') then return 0 end
for _, key in ipairs(allkeys(H)) do redis.call('DEL', key) end
redis.call('DEL', H .. ':s')
redis.call('ZADD', H, '-${NO_BOUND}', '~m', -1, '~b')
redis.call('PEXPIRE', H, ARGV[1])
return 1`;

/**
 * Completes a rebuild: merges the loaded entries (ARGV[4..]: score, member pairs, newest first)
 * with those fan-out landed meanwhile, keeps the newest max, lays them out as full segments plus
 * a head, and marks the timeline READY. ARGV: segment size, max length, ttl.
 */
export const COMPLETE_SCRIPT = `${ALL_KEYS}
local H = KEYS[1]
local C, max, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
-- What landed during the rebuild (few entries), sorted, then merged with the loaded ones.
local landed = {}
for _, key in ipairs(allkeys(H)) do
  local r = redis.call('ZRANGEBYSCORE', key, 0, '+inf', 'WITHSCORES')
  for j = 1, #r, 2 do landed[#landed + 1] = { tonumber(r[j + 1]), r[j + 1], r[j] } end
  redis.call('DEL', key)
end
redis.call('DEL', H .. ':s')
table.sort(landed, function(a, b) return a[1] < b[1] end)
local scores, members, seen = {}, {}, {}
local i, j = 1, 4
while #scores < max and (i <= #landed or j < #ARGV) do
  local s, sv, mem
  if j < #ARGV and (i > #landed or tonumber(ARGV[j]) <= landed[i][1]) then
    sv, mem = ARGV[j], ARGV[j + 1]
    j = j + 2
  else
    sv, mem = landed[i][2], landed[i][3]
    i = i + 1
  end
  if not seen[mem] then
    seen[mem] = true
    scores[#scores + 1] = sv
    members[#members + 1] = mem
  end
end
local total = #scores
-- More than it keeps, or a full load: Postgres may hold older entries.
local truncated = total > 0 and ((#landed + (#ARGV - 3) / 2) > max or (#ARGV - 3) / 2 >= max)
local nseg = 0
if total > C then nseg = math.floor((total - 1) / C) end
local function write(key, first, last)
  local args = {}
  for r = first, last do
    args[#args + 1] = scores[r]
    args[#args + 1] = members[r]
  end
  if #args > 0 then redis.call('ZADD', key, unpack(args)) end
end
-- Segment k (1 = oldest) holds ranks total-k*C+1 .. total-(k-1)*C; the head the newest rest.
local hs = H .. ':s'
for k = 1, nseg do
  local first = total - k * C + 1
  write(H .. ':' .. k, first, first + C - 1)
  redis.call('HSET', hs, k, scores[first])
  redis.call('PEXPIRE', H .. ':' .. k, ttl)
end
local headCount = total - nseg * C
write(H, 1, headCount)
local bound = '${NO_BOUND}'
if nseg > 0 then
  bound = scores[total - nseg * C + 1]
  redis.call('HSET', hs, 'n', nseg, 'o', 1)
  redis.call('PEXPIRE', hs, ttl)
end
redis.call('ZADD', H, '-' .. bound, '~m')
if truncated then
  redis.call('ZADD', H, -math.floor((${SCORE_OFFSET} - tonumber(scores[total])) / 32), '~t')
end
redis.call('PEXPIRE', H, ttl)
return total`;

/** Removes members (ARGV) from the head and every segment of each timeline (KEYS: heads). */
export const REMOVE_SCRIPT = `${ALL_KEYS}
local removed = 0
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    for _, key in ipairs(allkeys(KEYS[i])) do removed = removed + redis.call('ZREM', key, unpack(ARGV)) end
  end
end
return removed`;

/** Deletes every set of a timeline. */
export const CLEAR_SCRIPT = `${ALL_KEYS}
local H = KEYS[1]
for _, key in ipairs(allkeys(H)) do redis.call('DEL', key) end
redis.call('DEL', H .. ':s')
return 0`;
