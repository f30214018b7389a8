-- Records why an apply job of the table failed, for the clients waiting on its records, and counts
-- the failures in a row that sweepers back off by; the next job that publishes its work clears
-- both (finish.lua).
-- KEYS[1] table meta hash, KEYS[2] state hash
-- ARGV[1] the worker's id, ARGV[2] the error
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'hash'})
if bad then return bad end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NO_TABLE'}
end
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('HSET', KEYS[2], 'failure_at', tostring(millis), 'failure_worker', ARGV[1],
  'failure_error', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'failure_count', 1)
return {'OK'}
