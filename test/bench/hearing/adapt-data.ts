// Adaptation speech for the acoustic model (issue 12): TRAIN-split caller sentences spoken by
// tuning voices under the bench's perturbations (tempo, pitch, noise), for narrowband through the
// phone line (G.711 round trip, lost packets) and the appliance's band filling, i.e. exactly what
// the narrowband decoder is fed. Never dev or test lines, never a test voice.
//   node dist/test/bench/hearing/adapt-data.js --out DIR --voices flite:kal16,flite:slt --band wideband|narrowband --n 400 [--seed 1]
// Writes DIR/audio/<id>.raw (16 kHz, 16-bit), DIR/train.fileids and DIR/train.transcription
// (sphinxtrain's forms), skipping sentences with words outside the dictionary.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusWorld, readSplit } from '../../../appliance/agent/nlu/lab.js';
import { seededRandom } from '../../../appliance/shared/random.js';
import { parseDictionary } from '../../../appliance/voice/asr/jsgf.js';
import { spokenWords } from '../../../appliance/voice/asr/lm/spoken.js';
import { BandFiller } from '../../../appliance/voice/asr/narrowband.js';
import { phoneLine } from '../../helpers/phone-line.js';
import { speakable } from './asr-transcripts.js';
import { applyPerturbation, drawPerturbation } from './nlu-audio.js';
import { speak, TEST_VOICES, TUNING_VOICES, type VoiceName } from './voices.js';

const DICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const out = arg('out');
  if (!out) throw new Error('--out DIR');
  const voices = (arg('voices') ?? TUNING_VOICES.join(',')).split(',') as VoiceName[];
  for (const v of voices) if (!TUNING_VOICES.includes(v) || TEST_VOICES.includes(v)) throw new Error(`${v} is not a tuning voice`);
  const band = arg('band') ?? 'wideband';
  if (band !== 'wideband' && band !== 'narrowband') throw new Error('--band wideband|narrowband');
  const n = Number(arg('n') ?? 400);
  const seed = Number(arg('seed') ?? 1);
  const dictionary = parseDictionary(readFileSync(DICT, 'utf8'));
  const rng = seededRandom(seed);
  const lines = readSplit(corpusWorld())
    .train.filter(speakable)
    .map((u) => ({ words: spokenWords(u.text), text: u.text, r: rng() }))
    .filter((l) => l.words.every((w) => dictionary.has(w)))
    .sort((a, b) => a.r - b.r)
    .slice(0, n);
  mkdirSync(join(out, 'audio'), { recursive: true });
  const ids: string[] = [];
  const transcripts: string[] = [];
  for (const [i, l] of lines.entries()) {
    if (i % 50 === 0) console.error(`${i}/${lines.length}`);
    const r = seededRandom(seed * 1_000_003 + i);
    const voice = voices[Math.floor(r() * voices.length)] as VoiceName;
    const perturbation = { ...drawPerturbation(r), g711: false };
    let audio = await applyPerturbation(await speak(l.text, voice), perturbation, seed + i);
    if (band === 'narrowband') {
      audio = phoneLine(audio, { lossPct: 1 + Math.floor(r() * 3), seed: seed + i, law: r() < 0.5 ? 'ulaw' : 'alaw' });
      audio = new BandFiller({ seed: seed + i }).process(audio);
    }
    const id = `u${String(i).padStart(4, '0')}`;
    writeFileSync(join(out, 'audio', `${id}.raw`), Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
    ids.push(`audio/${id}`);
    transcripts.push(`<s> ${l.words.join(' ')} </s> (${id})`);
  }
  writeFileSync(join(out, 'train.fileids'), `${ids.join('\n')}\n`);
  writeFileSync(join(out, 'train.transcription'), `${transcripts.join('\n')}\n`);
  console.error(`${lines.length} utterances (${voices.join(', ')}, ${band}) in ${out}`);
}

await main();
