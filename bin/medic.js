#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

// `medic … | head`: the reader went away; stop quietly as other Unix tools do, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
