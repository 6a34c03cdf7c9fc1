#!/usr/bin/env node
// Entry point for `npm run models`; see command.ts.
import { runCli } from './command.js';

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  now: () => Date.now(),
});
process.exitCode = code;
