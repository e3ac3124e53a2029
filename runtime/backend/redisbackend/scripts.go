package redisbackend

import "github.com/redis/go-redis/v9"

// versionLE compares two encoded versions. Lua compares strings with strcoll,
// which follows the server's locale, and numbers as doubles, which cannot
// hold 20 digits; two 10-digit halves compare exactly.
const versionLE = `
local function le(a, b)
  local ah, bh = tonumber(string.sub(a, 1, 10)), tonumber(string.sub(b, 1, 10))
  if ah ~= bh then return ah < bh end
  return tonumber(string.sub(a, 11)) <= tonumber(string.sub(b, 11))
end
`

// putScript stores documents unless a higher version is stored.
// KEYS: index, then one doc key per document.
// ARGV: per document version, JSON, member (the document key unprefixed).
var putScript = redis.NewScript(versionLE + `
local idx = KEYS[1]
for i = 2, #KEYS do
  local a = (i - 2) * 3
  local ver = ARGV[a + 1]
  local cur = redis.call('HGET', KEYS[i], 'v')
  if not cur or le(cur, ver) then
    redis.call('HSET', KEYS[i], 'v', ver, 'd', ARGV[a + 2])
    redis.call('PERSIST', KEYS[i])
    redis.call('ZADD', idx, 0, ARGV[a + 3])
  end
end
return 0
`)

// deleteScript turns documents into tombstones unless a higher version is
// stored.
// KEYS: index, then one doc key per document.
// ARGV: version, tombstone TTL in milliseconds (0: keep), then one member per
// document.
var deleteScript = redis.NewScript(versionLE + `
local idx, ver, ttl = KEYS[1], ARGV[1], tonumber(ARGV[2])
for i = 2, #KEYS do
  local cur = redis.call('HGET', KEYS[i], 'v')
  if not cur or le(cur, ver) then
    redis.call('HDEL', KEYS[i], 'd')
    redis.call('HSET', KEYS[i], 'v', ver)
    if ttl > 0 then
      redis.call('PEXPIRE', KEYS[i], ttl)
    end
    redis.call('ZREM', idx, ARGV[i + 1])
  end
end
return 0
`)
