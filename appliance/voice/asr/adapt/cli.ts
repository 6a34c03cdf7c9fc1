// node dist/appliance/voice/asr/adapt/cli.js mixw SENDUMP OUT (test/bench/hearing/adapt-model.sh): the acoustic model's sendump as the mixture_weights file
// sphinxtrain reads (mixture-weights.ts), the first step of adapting the model.
import { readFileSync, writeFileSync } from 'node:fs';
import { mixtureWeightsFile, readSendump } from './mixture-weights.js';

const [command, input, output] = process.argv.slice(2);
if (command !== 'mixw' || !input || !output) {
  console.error('usage: mixw SENDUMP OUT');
  process.exit(2);
}
writeFileSync(output, mixtureWeightsFile(readSendump(readFileSync(input))));
