-- Records a maintenance run on a table: when each of its tasks last ran (successful or not, so a
-- failing task is tried again only after its interval), the files and bytes it removed added to
-- the table's totals, and its error or none; then releases the run's maintenance lease.
-- KEYS[1] table meta hash, KEYS[2] state hash
-- ARGV[1] owner, ARGV[2] files removed, ARGV[3] bytes removed, ARGV[4] error ('' for none),
-- ARGV[5..] the tasks that ran
local bad = check_types({KEYS[1], 'hash', KEYS[2], 'hash'})
if bad then return bad end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NO_TABLE'}
end
local denied = acl_denied({{'HSET', KEYS[2], 'maint_last_at', '0'}, {'HDEL', KEYS[2], 'maint_lease'}})
if denied then return denied end
local now = redis.call('TIME')
local millis = tostring(tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
for i = 5, #ARGV do
  redis.call('HSET', KEYS[2], 'maint_' .. ARGV[i] .. '_at', millis)
end
-- totals that do not read as numbers (the hash is as untrusted as the log) start again from zero
for _, pair in ipairs({{'maint_files_removed', ARGV[2]}, {'maint_bytes_removed', ARGV[3]}}) do
  local stored = redis.call('HGET', KEYS[2], pair[1])
  local total = 0
  if stored and string.match(stored, '^%d+$') then total = tonumber(stored) end
  redis.call('HSET', KEYS[2], pair[1], string.format('%d', total + tonumber(pair[2])))
end
redis.call('HSET', KEYS[2], 'maint_last_at', millis)
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[2], 'maint_last_error')
else
  redis.call('HSET', KEYS[2], 'maint_last_error', ARGV[4])
end
local lease = redis.call('HGET', KEYS[2], 'maint_lease')
if lease and string.match(lease, '^(.*)|%d+$') == ARGV[1] then
  redis.call('HDEL', KEYS[2], 'maint_lease')
end
return {'OK'}
