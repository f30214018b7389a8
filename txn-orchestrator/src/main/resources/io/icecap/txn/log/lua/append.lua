-- Appends one transaction record to a table's log with the next sequence number.
-- KEYS[1] table meta hash, KEYS[2] seq counter, KEYS[3] log stream, KEYS[4] txns hash,
-- KEYS[5] txn-times zset
-- ARGV[1] transaction id, ARGV[2] record, ARGV[3] how long (ms) a transaction id is remembered
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'string', KEYS[3], 'stream', KEYS[4], 'hash',
  KEYS[5], 'zset'})
if bad then return bad end
local denied = acl_denied({{'INCR', KEYS[2]}, {'XADD', KEYS[3], '1-0', 'r', ''},
  {'HSET', KEYS[4], ARGV[1], '1'}, {'HDEL', KEYS[4], ARGV[1]}, {'ZADD', KEYS[5], '0', ARGV[1]},
  {'ZREM', KEYS[5], ARGV[1]}})
if denied then return denied end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NO_TABLE'}
end
local known = redis.call('HGET', KEYS[4], ARGV[1])
if known then
  -- the same transaction sent again after a lost answer: it is in the log once
  return {'OK', known, 'DUPLICATE'}
end
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], seq .. '-0', 'r', ARGV[2], 't', millis)
redis.call('HSET', KEYS[4], ARGV[1], seq)
redis.call('ZADD', KEYS[5], millis, ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', millis - tonumber(ARGV[3]),
  'LIMIT', 0, 100)
if #expired > 0 then
  redis.call('HDEL', KEYS[4], unpack(expired))
  redis.call('ZREM', KEYS[5], unpack(expired))
end
return {'OK', tostring(seq)}
