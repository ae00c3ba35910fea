/**
 * The external tools the benchmark needs (nginx, wrk), installed from Debian's
 * packages when missing, and the facts about the machine for RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, loadavg } from 'node:os';

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs nginx and wrk with apt-get when they are missing (the benchmark runs
 * as root on Debian). `apt-get update` runs once, only when something is missing.
 * On a machine with systemd the package may also start the distribution's own
 * nginx on port 80; the benchmark leaves it alone and uses its own ports.
 */
export function ensureTools(): void {
  const missing = [has('nginx') ? null : 'nginx', has('wrk') ? null : 'wrk'].filter((x): x is string => x !== null);
  if (missing.length === 0) return;
  console.log(`installing ${missing.join(', ')} from Debian's packages…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env, timeout: 300_000 });
  const packages = missing.map((tool) => (tool === 'nginx' ? 'nginx-light' : tool));
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env, timeout: 600_000 });
  } catch {
    // nginx-light is a transitional name on some releases; plain nginx is the same binary.
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages.map((p) => (p === 'nginx-light' ? 'nginx' : p))],
      { stdio: 'inherit', env, timeout: 600_000 });
  }
}

function firstLine(command: string, args: readonly string[]): string {
  try {
    const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\n')[0]?.trim() ?? '';
  } catch (err) {
    // `wrk -v` prints its version and exits 1.
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}`.split('\n')[0]?.trim() || 'unknown';
  }
}

/** Facts about the machine, for the results. */
export interface MachineFacts {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly nginx: string;
  readonly wrk: string;
  /** 1-minute load average when the benchmark started: other work on the machine. */
  readonly loadAverage: number;
}

/** Reads the machine facts. */
export function machineFacts(): MachineFacts {
  const nginx = execFileSync('sh', ['-c', 'nginx -v 2>&1'], { encoding: 'utf8' }).trim();
  return {
    cores: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    nginx: nginx.replace(/^nginx version:\s*/, ''),
    wrk: firstLine('wrk', ['-v']),
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
}
