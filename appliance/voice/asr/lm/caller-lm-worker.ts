// Child-process side of CallerLanguageModel: reads one build job (JSON) on stdin, builds the files
// (caller-lm-build.ts) and prints the report as JSON. A process, so the build's seconds of CPU
// never stall the daemon's event loop and it can run at a lower priority and be killed.
import { buildCallerLmFiles, type CallerLmJob } from './caller-lm-build.js';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CallerLmJob;
process.stdout.write(`${JSON.stringify(await buildCallerLmFiles(job))}\n`);
