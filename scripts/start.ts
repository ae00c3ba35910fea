/**
 * `npm start`: the whole local stack in one process (scripts/local-stack.ts),
 * then the addresses, the admin token and three things to try. Drains and
 * exits 0 on SIGTERM/SIGINT; exits 1 with every problem listed when the
 * configuration is bad or a port is taken.
 */
import { startLocalStack, type LocalStack } from './local-stack.ts';

function describe(stack: LocalStack): string {
  const gw = stack.gateway.publicUrl;
  const lines = [
    '',
    'Strangler local stack is up',
    `  gateway (public)   ${gw}`,
    `  gateway (admin)    ${stack.gateway.adminUrl}   token: ${stack.adminToken}`,
    stack.standin ? `  stand-in monolith  ${stack.standin.url}   database: ${stack.databaseUrl}` : '  legacy upstream    LEGACY_URL (no stand-in started)',
  ];
  if (stack.tracking) lines.push(`  tracking service   ${stack.tracking.url}`);
  if (stack.sending) lines.push(`  sending service    ${stack.sending.url}`);
  if (stack.seeded) lines.push(`  seeded tenant "${stack.seeded.tenant}": API user ${stack.seeded.credentials.username} / ${stack.seeded.credentials.password}`);
  lines.push(
    '',
    'Try it (README § Try it):',
    `  curl -s -o /dev/null -D - '${gw}/mtracking.gif?page_url=https://example.com/pricing'`,
    `  curl -s -H 'Authorization: Bearer ${stack.adminToken}' ${stack.gateway.adminUrl}/admin/flags`,
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  let stack: LocalStack;
  try {
    stack = await startLocalStack(process.env);
  } catch (err) {
    const problems = (err as { problems?: unknown }).problems;
    const text = err instanceof Error ? (Array.isArray(problems) ? err.message : (err.stack ?? err.message)) : String(err);
    process.stderr.write(`npm start failed: ${text}\n`);
    process.exit(1);
  }
  process.stdout.write(`${describe(stack)}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    stack.close().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`stopping failed: ${String(err)}\n`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
