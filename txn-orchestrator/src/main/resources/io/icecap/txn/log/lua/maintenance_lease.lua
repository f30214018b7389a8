-- Takes, renews or releases a table's maintenance lease, which keeps two maintenance runs (by hand
-- or by workers) off one table at a time. The lease is 'owner|expires-at-ms' in the state hash's
-- field maint_lease; an expired lease is free.
-- KEYS[1] table meta hash, KEYS[2] state hash
-- ARGV[1] owner, ARGV[2] lease time (ms), ARGV[3] 'take' or 'release'
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'hash'})
if bad then return bad end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NO_TABLE'}
end
local denied = acl_denied({{'HSET', KEYS[2], 'maint_lease', ''}, {'HDEL', KEYS[2], 'maint_lease'}})
if denied then return denied end
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local lease = redis.call('HGET', KEYS[2], 'maint_lease')
local owner, expires = nil, nil
if lease then
  owner, expires = string.match(lease, '^(.*)|(%d+)$')
  expires = tonumber(expires)
end
local held = owner ~= nil and expires ~= nil and expires > millis
if ARGV[3] == 'release' then
  if held and owner == ARGV[1] then
    redis.call('HDEL', KEYS[2], 'maint_lease')
  end
  return {'OK'}
end
if held and owner ~= ARGV[1] then
  return {'BUSY', owner, tostring(expires - millis)}
end
local until_ms = millis + tonumber(ARGV[2])
redis.call('HSET', KEYS[2], 'maint_lease', ARGV[1] .. '|' .. until_ms)
return {'OK', tostring(until_ms)}
