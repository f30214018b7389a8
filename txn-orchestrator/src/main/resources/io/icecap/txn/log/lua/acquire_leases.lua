-- Takes the leases of several partitions of a table, all or none, under one new fencing token.
-- A lease is 'token|owner|expires-at-ms'; an expired lease is free.
-- KEYS[1] state hash, KEYS[2] leases hash
-- ARGV[1] owner, ARGV[2] lease time (ms), ARGV[3..] partition keys
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'hash'})
if bad then return bad end
local denied = acl_denied({{'HINCRBY', KEYS[1], 'fence', '1'}, {'HSET', KEYS[2], 'p', 'v'}})
if denied then return denied end
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
for i = 3, #ARGV do
  local lease = redis.call('HGET', KEYS[2], ARGV[i])
  if lease then
    local token, owner, expires = string.match(lease, '^(%d+)|(.*)|(%d+)$')
    if tonumber(expires) > millis and owner ~= ARGV[1] then
      return {'BUSY', ARGV[i], owner, tostring(tonumber(expires) - millis)}
    end
  end
end
local token = redis.call('HINCRBY', KEYS[1], 'fence', 1)
local value = token .. '|' .. ARGV[1] .. '|' .. (millis + tonumber(ARGV[2]))
for i = 3, #ARGV do
  redis.call('HSET', KEYS[2], ARGV[i], value)
end
return {'OK', tostring(token)}
