-- Extends (ARGV[2] > 0) or releases (ARGV[2] = 0) the leases a job holds under its token.
-- KEYS[1] leases hash
-- ARGV[1] fencing token, ARGV[2] lease time (ms) or 0 to release, ARGV[3..] partition keys
local bad = check_types({KEYS[1], 'hash'})
if bad then return bad end
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local lost = {}
for i = 3, #ARGV do
  local lease = redis.call('HGET', KEYS[1], ARGV[i])
  local token, owner
  if lease then
    token, owner = string.match(lease, '^(%d+)|(.*)|%d+$')
  end
  if token ~= ARGV[1] then
    table.insert(lost, ARGV[i])
  elseif tonumber(ARGV[2]) > 0 then
    redis.call('HSET', KEYS[1], ARGV[i], token .. '|' .. owner .. '|' .. (millis + tonumber(ARGV[2])))
  else
    redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
if #lost > 0 then
  return {'LOST', unpack(lost)}
end
return {'OK'}
