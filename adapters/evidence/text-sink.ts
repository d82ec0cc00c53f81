import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Where an export writes its text, at the pace the destination takes it. */
export interface TextSink {
  /** Resolves once the text is taken: at once while the destination keeps up, after it drains when it does not. */
  write(text: string): Promise<void>;
  /** Hands on what is still buffered. */
  flush(): Promise<void>;
}

/**
 * A sink onto a stream, in chunks of about `chunkChars` (one write per record would cost more than the record), that
 * waits for 'drain' whenever the stream says it is full: however fast the records come, memory holds one chunk and
 * the stream's own buffer, never the export. A stream that fails while we wait rejects the wait (`once`).
 */
export function streamSink(stream: Writable, chunkChars = 64 * 1024): TextSink {
  let parts: string[] = [];
  let size = 0;
  const hand = async () => {
    if (size === 0) return;
    const chunk = parts.join('');
    parts = [];
    size = 0;
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  return {
    async write(text) {
      parts.push(text);
      size += text.length;
      if (size >= chunkChars) await hand();
    },
    flush: hand,
  };
}
