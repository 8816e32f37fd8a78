import 'server-only';

// The Lua scripts of the Redis bus: each runs atomically in Redis, so the check and the write it
// guards cannot interleave with another instance's.

// Take the lease if free, renew it if ours; answer the cluster's last poll time and its count of
// failed polls in a row (the backoff a new holder continues), or nil if not ours.
export const acquireScript = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2])
elseif not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else return false end
return {redis.call('GET', KEYS[2]) or '', redis.call('GET', KEYS[3]) or ''}`;

// Only the holder records the failures in a row; kept a day, as the poll time is.
export const recordFailuresScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', 86400000)
return 1`;

// A token bucket shared by the cluster, on Redis's clock (instances' clocks may disagree): refill
// by the time passed, take one if at least the threshold is there, else answer the wait in ms.
// Stored fields that are not numbers (garbage) count as a full bucket. Needs Redis 5+ (TIME in a
// script that writes).
export const takeTokenScript = `
local rate, burst, threshold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
local at = tonumber(redis.call('HGET', KEYS[1], 'at'))
if not tokens or not at or at > now or tokens ~= tokens then tokens = burst; at = now end
tokens = math.min(burst, math.max(0, tokens) + (now - at) * rate / 1000)
local taken = 0
if tokens >= threshold then tokens = tokens - 1; taken = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 60000)
if taken == 1 then return {1, '0'} end
return {0, tostring(math.ceil((threshold - tokens) * 1000 / rate))}`;

export const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// One sequence per city, never below the clock or the caller's version, so ids only grow. A stored
// value that is not a number (garbage) counts as none: the clock and the caller's version still hold.
export const nextVersionScript = `
local n = math.max((tonumber(redis.call('GET', KEYS[1]) or '0') or 0) + 1, tonumber(ARGV[1]), tonumber(ARGV[2]) + 1)
redis.call('SET', KEYS[1], string.format('%d', n))
return string.format('%d', n)`;

// Fenced by the lease and by the board's head: an instance that lost the lease, or whose board is
// behind the stored one, cannot write (an update applies only on top of the version it follows).
// State, history and the fan-out change together or not at all. A head that is not a number is no
// version anyone published: it counts as none (as after a store lost its data), not as a fence
// that would refuse every update for good.
export const publishScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[4] == 'status' then redis.call('SET', KEYS[4], ARGV[5])
else
  local head = redis.call('GET', KEYS[5])
  if ARGV[7] ~= '' and head and tonumber(head) and head ~= ARGV[7] then return 0 end
  redis.call('SET', KEYS[5], ARGV[8])
  redis.call('SET', KEYS[2], ARGV[5])
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'm', ARGV[3])
end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;
