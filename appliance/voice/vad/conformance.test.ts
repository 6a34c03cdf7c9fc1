import { before } from 'node:test';
import { vadConformance } from './conformance.fixture.js';
import { EnergyVadAdapter } from './energy.js';
import { SileroSherpaVad } from './silero-sherpa.js';
import { tinySileroModelPath } from './tiny-silero.fixture.js';

let modelPath = '';
before(async () => {
  modelPath = await tinySileroModelPath();
});

vadConformance('energy', () => new EnergyVadAdapter());
vadConformance('silero-sherpa (tiny random-weight v5 model)', () => new SileroSherpaVad({ config: { modelPath } }));
