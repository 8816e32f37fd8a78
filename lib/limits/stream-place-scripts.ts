import 'server-only';

// The Lua scripts of the cluster's stream places (see `createRedisStreamPlaces`). Each runs
// atomically in Redis, so the count and the place it allows cannot interleave with another
// instance's. Every key is passed in KEYS, and every key shares one hash tag, as Redis asks.
//
// KEYS[1] is the sorted set of instances holding places, scored by when their lease ends (Redis's
// clock); KEYS[2] this instance's hash of places (client key -> count); ARGV[1] this instance,
// ARGV[2] the lease in ms.

/** The mark of a whole hash of places: a field no client key can be (see `clientKeyOf`). */
export const WHOLE = '~whole';

// Garbage (keys of another type, counts that are not numbers: a bug, or a hand with redis-cli) is
// dropped rather than failing every stream's admission; this instance's lost places are written
// again at its next renewal (the hash lacks its mark). A count that is not a number, in another
// instance's hash, has its mark removed: its owner writes it again.
const dropGarbage = `
if redis.call('TYPE', KEYS[1]).ok ~= 'zset' then redis.call('DEL', KEYS[1]) end
if redis.call('TYPE', KEYS[2]).ok ~= 'hash' then redis.call('DEL', KEYS[2]) end
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 and not tonumber(redis.call('HGET', KEYS[2], ARGV[3])) then
  redis.call('HDEL', KEYS[2], ARGV[3], '${WHOLE}')
end`;

// Takes a place for the client ARGV[3] unless the live instances hold ARGV[4] for it. KEYS[3..]
// are the hashes of the instances the caller believes live, named in ARGV[5..]. Answers
// {1, live...} when taken, {0, live...} when full, {-1, live...} when a live instance was not
// passed (the caller asks again with the list it gets back).
export const takePlaceScript = `${dropGarbage}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local live = redis.call('ZRANGE', KEYS[1], 0, -1)
local given = {}
for i = 5, #ARGV do given[ARGV[i]] = KEYS[i - 2] end
local known = true
for _, name in ipairs(live) do
  if name ~= ARGV[1] and not given[name] then known = false end
end
if not known then table.insert(live, 1, -1) return live end
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[3])) or 0
for _, name in ipairs(live) do
  if name ~= ARGV[1] then
    local theirs = redis.pcall('HGET', given[name], ARGV[3])
    if type(theirs) == 'string' then
      if tonumber(theirs) then held = held + tonumber(theirs)
      else redis.call('HDEL', given[name], '${WHOLE}') end
    end
  end
end
if held >= tonumber(ARGV[4]) then table.insert(live, 1, 0) return live end
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
table.insert(live, 1, 1)
return live`;

// Gives back a place of the client ARGV[3]; a count never goes below nothing.
export const givePlaceScript = `${dropGarbage}
local left = redis.call('HINCRBY', KEYS[2], ARGV[3], -1)
if left <= 0 then redis.call('HDEL', KEYS[2], ARGV[3]) end
return left`;

// Renews this instance's lease; answers 1 if its hash of places is whole (it has the mark ARGV[3]
// that every write of the whole hash sets), 0 if Redis lost it (restarted, flushed, or the lease ran
// out while this instance stalled), even when a take has since made it anew with one place in it:
// the caller then writes it whole again.
export const renewPlacesScript = `${dropGarbage}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return redis.call('HEXISTS', KEYS[2], ARGV[3])`;

// Writes this instance's hash of places anew: the mark ARGV[3], then ARGV[4..] (key, count, key,
// count...).
export const writePlacesScript = `${dropGarbage}
redis.call('DEL', KEYS[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[3], 1)
-- One HSET per place rather than one with every place: unpack() of thousands of values would
-- overflow Lua's stack.
for i = 4, #ARGV - 1, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;
