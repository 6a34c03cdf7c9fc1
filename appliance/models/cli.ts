#!/usr/bin/env node
// Entry point for `npm run models`; see command.ts.
import { systemClock } from '../shared/clock.js';
import { runCli } from './command.js';

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  clock: systemClock,
});
process.exitCode = code;
