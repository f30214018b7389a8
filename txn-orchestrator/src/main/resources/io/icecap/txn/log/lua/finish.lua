-- Publishes what an apply job did, in one atomic step: the table's metadata pointer swap (when
-- the job commits a snapshot), the replica map, the applied sequence numbers, the watermark below
-- which every record is applied, the log trimmed below it, and the transactions' results.
-- KEYS[1] meta hash, KEYS[2] state hash, KEYS[3] done zset, KEYS[4] replicas hash,
-- KEYS[5] leases hash, KEYS[6] results hash, KEYS[7] result-times zset, KEYS[8] log stream
-- ARGV[1] expected metadata location, ARGV[2] new metadata location ('' when no snapshot),
-- ARGV[3] fencing token ('0' when no partition is written), ARGV[4] result retention (ms),
-- ARGV[5] count of partitions P, then P pairs (partition key, replica entry),
-- then count of applied records A, then A pairs (sequence number, result)
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'hash', KEYS[3], 'zset', KEYS[4], 'hash',
  KEYS[5], 'hash', KEYS[6], 'hash', KEYS[7], 'zset', KEYS[8], 'stream'})
if bad then return bad end
local denied = acl_denied({{'HSET', KEYS[1], 'metadata_location', ''}, {'HSET', KEYS[2], 'w', '0'},
  {'HDEL', KEYS[2], 'failure_at'}, {'ZADD', KEYS[3], '0', '0'}, {'ZREM', KEYS[3], '0'},
  {'HSET', KEYS[4], 'p', 'v'}, {'HSET', KEYS[6], '0', ''}, {'HDEL', KEYS[6], '0'},
  {'ZADD', KEYS[7], '0', '0'}, {'ZREM', KEYS[7], '0'}, {'XTRIM', KEYS[8], 'MINID', '0'}})
if denied then return denied end
local current = redis.call('HGET', KEYS[1], 'metadata_location')
if not current then
  return {'NO_TABLE'}
end
local swap = ARGV[2] ~= ''
if swap and current == ARGV[2] then
  -- this very commit was applied already (a resent request)
  return {'OK', 'RESENT'}
end
if swap and current ~= ARGV[1] then
  return {'CONFLICT', current}
end
local partitions = tonumber(ARGV[5])
local first_applied = 6 + 2 * partitions
local applied = tonumber(ARGV[first_applied])
for i = 0, partitions - 1 do
  local key = ARGV[6 + 2 * i]
  local lease = redis.call('HGET', KEYS[5], key)
  local token = lease and string.match(lease, '^(%d+)|')
  if token ~= ARGV[3] then
    return {'FENCED', key, lease or ''}
  end
end
local watermark = tonumber(redis.call('HGET', KEYS[2], 'watermark') or '0')
for i = 0, applied - 1 do
  local seq = ARGV[first_applied + 1 + 2 * i]
  if tonumber(seq) <= watermark or redis.call('ZSCORE', KEYS[3], seq) then
    return {'APPLIED', seq}
  end
end
if swap then
  redis.call('HSET', KEYS[1], 'metadata_location', ARGV[2], 'previous_metadata_location', ARGV[1])
end
for i = 0, partitions - 1 do
  redis.call('HSET', KEYS[4], ARGV[6 + 2 * i], ARGV[7 + 2 * i])
end
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local aborted = 0
for i = 0, applied - 1 do
  local seq = ARGV[first_applied + 1 + 2 * i]
  local result = ARGV[first_applied + 2 + 2 * i]
  redis.call('ZADD', KEYS[3], seq, seq)
  redis.call('HSET', KEYS[6], seq, result)
  redis.call('ZADD', KEYS[7], millis, seq)
  local ok, decoded = pcall(cjson.decode, result)
  if ok and type(decoded) == 'table' and decoded['committed'] == false then
    -- aborted records are counted, and the last one kept, for icecap log and the metrics
    aborted = aborted + 1
    local reason = decoded['error']
    if type(reason) ~= 'string' then reason = '' end
    redis.call('HSET', KEYS[2], 'aborted_last_seq', seq, 'aborted_last_error',
      string.sub(reason, 1, 500), 'aborted_last_at', tostring(millis))
  end
end
if aborted > 0 then
  redis.call('HINCRBY', KEYS[2], 'aborted', aborted)
end
-- the watermark moves over every record applied without a gap
while true do
  local next_done = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  if #next_done == 0 or tonumber(next_done[2]) ~= watermark + 1 then
    break
  end
  watermark = watermark + 1
  redis.call('ZREM', KEYS[3], next_done[1])
end
redis.call('HSET', KEYS[2], 'watermark', watermark)
-- a job got through: the last failure is no longer the news, and the backoff starts over
redis.call('HDEL', KEYS[2], 'failure_at', 'failure_worker', 'failure_error',
  'failure_count')
redis.call('XTRIM', KEYS[8], 'MINID', (watermark + 1) .. '-0')
local expired = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', millis - tonumber(ARGV[4]),
  'LIMIT', 0, 1000)
if #expired > 0 then
  redis.call('HDEL', KEYS[6], unpack(expired))
  redis.call('ZREM', KEYS[7], unpack(expired))
end
return {'OK', tostring(watermark)}
