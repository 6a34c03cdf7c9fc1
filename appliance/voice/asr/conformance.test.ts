// Runs the shared ASR conformance suite for every adapter that exists (pocketsphinx for now).
import pino from 'pino';
import { asrConformance, SERVICE_CATALOGUE } from './conformance.js';
import { PocketsphinxAsr } from './pocketsphinx.js';

const log = pino({ level: 'silent' });

asrConformance('pocketsphinx', {
  make: () => new PocketsphinxAsr({ log, config: { vocabulary: SERVICE_CATALOGUE } }),
  makeMissing: () => new PocketsphinxAsr({ log, config: { binary: '/nonexistent/pocketsphinx_continuous' } }),
});
