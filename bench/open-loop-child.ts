/**
 * Child-process entry of the open-loop generator: reads OpenLoopOptions as JSON
 * from argv[2], prints one line of OpenLoopResult JSON, exits.
 */
import { runOpenLoop } from './open-loop.ts';
import type { OpenLoopOptions } from './open-loop.ts';

const opts = JSON.parse(process.argv[2] ?? '{}') as OpenLoopOptions;
const result = await runOpenLoop(opts);
process.stdout.write(`${JSON.stringify(result)}\n`);
