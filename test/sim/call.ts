// npm run call -- --target HOST:PORT --script FILE.json [--codec PCMU|PCMA|L16] [--out RESULT.json] [--record CALL.wav]
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createLogger } from '../../appliance/log.js';
import { placeCall } from './caller.js';
import { scriptSchema } from './script.js';

const USAGE = 'usage: npm run call -- --target HOST:PORT --script FILE.json [--codec PCMU|PCMA|L16] [--out RESULT.json] [--record CALL.wav] [--bind ADDR]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        target: { type: 'string' },
        script: { type: 'string' },
        codec: { type: 'string', default: 'PCMU' },
        out: { type: 'string' },
        record: { type: 'string' },
        bind: { type: 'string', default: '127.0.0.1' },
        verbose: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.target || !/^[\w.-]+:\d{1,5}$/.test(values.target) || !values.script) {
    console.error(USAGE);
    return 2;
  }
  const codec = values.codec.toUpperCase();
  if (codec !== 'PCMU' && codec !== 'PCMA' && codec !== 'L16') {
    console.error(`--codec must be PCMU, PCMA or L16\n${USAGE}`);
    return 2;
  }
  let script;
  try {
    script = scriptSchema.parse(JSON.parse(await readFile(values.script, 'utf8')));
  } catch (err) {
    console.error(`cannot use the script ${values.script}: ${(err as Error).message}`);
    return 2;
  }
  const log = createLogger({ level: values.verbose ? 'debug' : 'warn', destination: process.stderr });
  const result = await placeCall({
    target: values.target,
    script,
    codec: codec,
    bind: values.bind,
    log,
    ...(values.record ? { recordPath: values.record } : {}),
  });
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (values.out) await writeFile(values.out, text);
  process.stdout.write(text);
  return result.connected ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
