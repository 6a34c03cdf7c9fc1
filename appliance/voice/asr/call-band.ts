// A call's recogniser told the call's band: PCMU and PCMA calls are narrowband (8 kHz), and every
// recognition on them says so (AsrRecognizeOptions.narrowband), live streams and barge-in checks
// alike, so the engine can adapt its front end. Wideband calls get the engine as it is.
import type { Asr, AsrRecognizeOptions } from './types.js';

/** Whether a call's codec ("PCMU", "PCMA", "L16/16000") carries only the phone band. */
export function isNarrowband(codec: string): boolean {
  return !codec.startsWith('L16/16000');
}

export function asrForCall(asr: Asr, codec: string): Asr {
  if (!isNarrowband(codec)) return asr;
  const narrow = (opts?: AsrRecognizeOptions): AsrRecognizeOptions => ({ ...opts, narrowband: true });
  const stream = asr.stream?.bind(asr);
  return {
    name: asr.name,
    capabilities: asr.capabilities,
    start: () => asr.start(),
    stop: () => asr.stop(),
    recognize: (audio, opts) => asr.recognize(audio, narrow(opts)),
    ...(stream ? { stream: (opts?: AsrRecognizeOptions) => stream(narrow(opts)) } : {}),
  };
}
