/**
 * The Lua script that writes one change: the mode, its revision and previous
 * value, the store version, the audit entry and the change message happen in
 * one atomic step, so the audit can never miss a change and no two changes
 * get one version. A stale revision or a remove/rollback with nothing to do
 * writes nothing.
 */

/**
 * KEYS: version, modes, revisions, previous, audit.
 * ARGV: field, action (set|remove|rollback), to (JSON or ""), expected revision (or ""),
 *       channel, audit max length, at, who, routeId, scope, why (or ""), origin.
 * Returns { status, revision | version, from, to, stream id }.
 */
export const CHANGE_SCRIPT = `
local field, action, to = ARGV[1], ARGV[2], ARGV[3]
local revision = tonumber(redis.call('HGET', KEYS[3], field) or '0')
if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= revision then return {'conflict', revision} end
local from = redis.call('HGET', KEYS[2], field) or ''
if action == 'remove' and from == '' then return {'absent', revision} end
if action == 'rollback' then
  local previous = redis.call('HGET', KEYS[4], field)
  if not previous then return {'nothing', revision} end
  to = previous
end
local version = redis.call('INCR', KEYS[1])
if to == '' then redis.call('HDEL', KEYS[2], field) else redis.call('HSET', KEYS[2], field, to) end
redis.call('HSET', KEYS[3], field, version)
redis.call('HSET', KEYS[4], field, from)
local id = redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[6], '*',
  'version', version, 'at', ARGV[7], 'who', ARGV[8], 'route', ARGV[9], 'tenant', ARGV[10],
  'from', from, 'to', to, 'why', ARGV[11], 'origin', ARGV[12], 'action', action)
redis.call('PUBLISH', ARGV[5], cjson.encode({version = version, field = field, to = to, id = id,
  at = ARGV[7], who = ARGV[8], from = from, why = ARGV[11], origin = ARGV[12], action = action}))
return {'ok', version, from, to, id}
`;

/** What the script answered. */
export type ChangeScriptResult =
  | { readonly status: 'ok'; readonly version: number; readonly from: string; readonly to: string }
  | { readonly status: 'conflict' | 'absent' | 'nothing'; readonly revision: number };

/** Reads the script's reply; throws on a shape it never returns. */
export function parseChangeReply(reply: unknown): ChangeScriptResult {
  if (!Array.isArray(reply)) throw new Error(`unexpected change script reply ${JSON.stringify(reply)}`);
  const [status, n, from, to] = reply as [string, number, string?, string?];
  if (status === 'ok') return { status, version: Number(n), from: from ?? '', to: to ?? '' };
  if (status === 'conflict' || status === 'absent' || status === 'nothing') return { status, revision: Number(n) };
  throw new Error(`unexpected change script status ${String(status)}`);
}
