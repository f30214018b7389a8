-- Shared by every catalog script. A key of the wrong type is reported, never overwritten.
local function wrong_type(key, expected)
  local actual = redis.call('TYPE', key)['ok']
  if actual ~= 'none' and actual ~= expected then
    return {'WRONGTYPE', key, actual, expected}
  end
  return nil
end

local function check_types(pairs)
  for i = 1, #pairs, 2 do
    local bad = wrong_type(pairs[i], pairs[i + 1])
    if bad then return bad end
  end
  return nil
end

-- Redis 7 and later: whether the calling user may make every write the script is about to make,
-- each {command, key, ...}. Redis checks ACLs command by command, so a script refused halfway
-- would leave its change half made; this refuses it before the first write instead.
local function acl_denied(writes)
  if not redis.acl_check_cmd then return nil end
  for _, write in ipairs(writes) do
    if not redis.acl_check_cmd(unpack(write)) then
      return {'NOPERM', write[2], write[1]}
    end
  end
  return nil
end
