// gateway/README.md § Configuration must list every key of the schema and every env variable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UPSTREAM_NAMES } from '../model.ts';
import { ENV_OVERRIDES } from './env-overrides.ts';
import { configSchema } from './schema.ts';

interface Def { type: string; innerType?: Node; shape?: Record<string, Node>; element?: Node }
interface Node { _zod: { def: Def } }

/** Leaf paths of a zod schema: `server.port`, `tenants[].id`, … */
function leaves(node: Node, prefix: string): string[] {
  let def = node._zod.def;
  while (def.innerType && ['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(def.type)) def = def.innerType._zod.def;
  if (def.type === 'object' && def.shape) return Object.entries(def.shape).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  if (def.type === 'array' && def.element && def.element._zod.def.type === 'object') return leaves(def.element, `${prefix}[]`);
  return [prefix];
}

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Admin API'));
const documented = new Set([...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] as string));

/** `upstreams.tracking.connectTimeoutMs` → `upstreams.<name>.connectTimeoutMs` (the README documents them once). */
const PER_UPSTREAM = new RegExp(`^upstreams\\.(${UPSTREAM_NAMES.join('|')})\\.(?!url$)`);

describe('README configuration reference', () => {
  const keys = leaves(configSchema as unknown as Node, '');

  it('finds the schema keys', () => {
    expect(keys).toContain('server.port');
    expect(keys).toContain('tenants[].legacyUrl');
    expect(keys.length).toBeGreaterThan(40);
  });

  it('lists every key of the schema', () => {
    const generic = (k: string) => k.replace(PER_UPSTREAM, 'upstreams.<name>.');
    expect(keys.filter((k) => !documented.has(k) && !documented.has(generic(k)))).toEqual([]);
  });

  it('lists no key the schema does not have', () => {
    const known = new Set(keys.map((k) => k.replace(PER_UPSTREAM, 'upstreams.<name>.')).concat(keys));
    expect([...documented].filter((k) => !known.has(k))).toEqual([]);
  });

  it('names every environment variable next to its key', () => {
    for (const o of ENV_OVERRIDES) expect(section).toMatch(new RegExp(`\\| \`${o.path.join('\\.')}\` \\| \`${o.name}\` \\|`));
  });
});
