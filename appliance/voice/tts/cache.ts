// Fixed prompts (the greeting, "one moment", reprompts) are synthesised once per voice and kept,
// so answering a call never waits for synthesis. Any sentence spoken twice is served from here.
import type { Tts, TtsCapabilities } from './types.js';

export class CachingTts implements Tts {
  private readonly cache = new Map<string, Int16Array>();
  readonly name: string;
  readonly capabilities: TtsCapabilities;

  constructor(
    private readonly inner: Tts,
    private readonly maxEntries = 200,
  ) {
    this.name = inner.name;
    this.capabilities = inner.capabilities;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  /** Renders prompts ahead of the first call. */
  async prerender(texts: readonly string[]): Promise<void> {
    for (const t of texts) await this.synthesize(t);
  }

  async synthesize(text: string, opts?: { signal?: AbortSignal }): Promise<Int16Array> {
    const hit = this.cache.get(text);
    if (hit) {
      // Refresh its place: least recently used entries leave first.
      this.cache.delete(text);
      this.cache.set(text, hit);
      return hit;
    }
    const audio = await this.inner.synthesize(text, opts);
    if (text.length <= 300) {
      this.cache.set(text, audio);
      if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    }
    return audio;
  }
}
