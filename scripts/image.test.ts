/**
 * The Dockerfile, read without Docker (no daemon runs here): one multi-stage image on
 * node:24-slim, production dependencies only, a non-root user, and an entry that runs a part
 * exactly as `npm run serve` does (same V8 flags and allocator setting, from dist/).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const lines = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string>; dependencies: Record<string, string> };
const finalStage = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')));

describe('Dockerfile', () => {
  it('builds in one stage and runs from another, both on node:24-slim', () => {
    expect(lines.filter((l) => l.startsWith('FROM '))).toEqual(['FROM node:24-slim AS build', 'FROM node:24-slim']);
  });

  it('installs only production dependencies in the image it runs', () => {
    const installs = finalStage.filter((l) => l.includes('npm ci'));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toContain('--omit=dev');
    expect(finalStage.filter((l) => l.startsWith('COPY '))).toEqual(['COPY package.json package-lock.json ./', 'COPY --from=build /app/dist ./dist']);
  });

  it('runs as a numeric non-root user', () => {
    const user = finalStage.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
  });

  it('starts a part the way `npm run serve` does', () => {
    // npm run serve: `MALLOC_ARENA_MAX=2 node <flags> dist/scripts/serve.js`
    const serve = /^(?<env>(?:[A-Z_]+=\S+ )*)node (?<args>.+)$/.exec(pkg.scripts.serve ?? '')?.groups;
    const entrypoint = JSON.parse(finalStage.find((l) => l.startsWith('ENTRYPOINT '))!.slice('ENTRYPOINT '.length)) as string[];
    expect(entrypoint).toEqual(['node', ...serve!.args!.split(' ')]);
    for (const assignment of serve!.env!.trim().split(' ').filter(Boolean)) expect(finalStage).toContain(`ENV ${assignment}`);
    expect(finalStage).toContain('CMD ["gateway"]');
  });

  it('carries the strangler CLI, compiled, with what it needs at run time', () => {
    // tsconfig.build.json is JSON with comments.
    const build = readFileSync(resolve(ROOT, 'tsconfig.build.json'), 'utf8');
    const include = JSON.parse(/"include":\s*(\[[^\]]*\])/.exec(build)![1]!) as string[];
    expect(include).toContain(pkg.bin.strangler);
    expect(Object.keys(pkg.dependencies)).toContain('commander');
  });
});
