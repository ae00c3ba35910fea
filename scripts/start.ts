/**
 * `npm start`: the whole local stack in one process (scripts/local-stack.ts),
 * then what scripts/stack-summary.ts says about it. Drains and
 * exits 0 on SIGTERM/SIGINT; exits 1 with every problem listed when the
 * configuration is bad or a port is taken.
 */
import { startLocalStack, type LocalStack } from './local-stack.ts';
import { stackSummary } from './stack-summary.ts';

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
  process.stdout.write(`${stackSummary(stack)}\n`);
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
