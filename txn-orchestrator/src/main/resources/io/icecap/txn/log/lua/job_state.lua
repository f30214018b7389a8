-- Reads, in one atomic step, what an apply job starts from.
-- KEYS[1] table meta hash, KEYS[2] seq counter, KEYS[3] state hash, KEYS[4] done zset,
-- KEYS[5] replicas hash, KEYS[6] leases hash
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'string', KEYS[3], 'hash', KEYS[4], 'zset',
  KEYS[5], 'hash', KEYS[6], 'hash'})
if bad then return bad end
local location = redis.call('HGET', KEYS[1], 'metadata_location')
if not location then
  return {'NO_TABLE'}
end
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local head = redis.call('GET', KEYS[2]) or '0'
local watermark = redis.call('HGET', KEYS[3], 'watermark') or '0'
return {'OK', location, head, watermark, tostring(millis),
  redis.call('ZRANGE', KEYS[4], 0, -1),
  redis.call('HGETALL', KEYS[5]),
  redis.call('HGETALL', KEYS[6])}
