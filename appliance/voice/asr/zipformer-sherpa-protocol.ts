// Messages between ZipformerSherpaAsr and its engine child process (zipformer-sherpa-worker.ts).

export type ZipformerRequest =
  | { op: 'open'; id: number }
  | { op: 'write'; id: number; samples: Float32Array }
  | { op: 'finish'; id: number }
  | { op: 'cancel'; id: number };

export type ZipformerReply =
  | { op: 'ready' }
  | { op: 'load-failed'; message: string }
  | { op: 'partial'; id: number; text: string }
  | { op: 'final'; id: number; text: string; tokens: string[]; timestamps: number[]; logProbs: number[] }
  | { op: 'failed'; id: number; message: string };
