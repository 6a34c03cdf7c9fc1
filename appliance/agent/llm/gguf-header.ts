// A cheap look at a GGUF file's fixed header (magic, version, tensor and key counts) before
// anything parses the rest. A damaged header with an absurd count makes node-llama-cpp's GGUF
// reader read on for minutes; this turns such files away at once.
import { open } from 'node:fs/promises';

/** Far above any real model (a large MoE has a few thousand tensors and under a hundred keys). */
const MAX_TENSORS = 100_000;
const MAX_KEYS = 100_000;

/** What is wrong with the header, or null when it looks like GGUF v2/v3. */
export async function ggufHeaderProblem(path: string): Promise<string | null> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(24);
    const { bytesRead } = await file.read(head, 0, 24, 0);
    if (bytesRead < 24) return `too short for a GGUF header (${bytesRead} bytes)`;
    if (head.toString('latin1', 0, 4) !== 'GGUF') return 'not a GGUF file (bad magic)';
    const version = head.readUInt32LE(4);
    if (version !== 2 && version !== 3) return `unsupported GGUF version ${version}`;
    const tensors = head.readBigUInt64LE(8);
    const keys = head.readBigUInt64LE(16);
    if (tensors > BigInt(MAX_TENSORS)) return `implausible tensor count ${tensors}`;
    if (keys > BigInt(MAX_KEYS)) return `implausible metadata count ${keys}`;
    return null;
  } finally {
    await file.close();
  }
}
