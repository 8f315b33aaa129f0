// Output kept to a cap: the head and the tail of what a tool printed, the middle left out with a
// note, so a 1 GB log costs the model a few thousand tokens and still shows how it began and ended.

export const DEFAULT_OUTPUT_CAP_BYTES = 64 * 1024;

export class OutputCap {
  private head = '';
  private tail = '';
  private headFull = false;
  private totalBytes = 0;
  private readonly half: number;

  constructor(readonly capBytes = DEFAULT_OUTPUT_CAP_BYTES) {
    this.half = Math.max(1, Math.floor(capBytes / 2));
  }

  push(text: string): void {
    if (!text) return;
    this.totalBytes += Buffer.byteLength(text);
    if (!this.headFull) {
      const room = this.half - Buffer.byteLength(this.head);
      if (Buffer.byteLength(text) <= room) {
        this.head += text;
        return;
      }
      const cut = cutAtBytes(text, room);
      this.head += text.slice(0, cut);
      this.headFull = true;
      text = text.slice(cut);
    }
    this.tail += text;
    // Trimmed now and then, not on every chunk: amortised linear in the output.
    if (this.tail.length > this.half * 2) this.tail = lastBytes(this.tail, this.half);
  }

  get truncated(): boolean {
    return this.totalBytes > Buffer.byteLength(this.head) + Buffer.byteLength(lastBytes(this.tail, this.half));
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The kept text, with "[… N bytes left out …]" where the middle was. */
  text(): string {
    const tail = lastBytes(this.tail, this.half);
    const left = this.totalBytes - Buffer.byteLength(this.head) - Buffer.byteLength(tail);
    if (left <= 0) return this.head + tail;
    return `${this.head}\n[… ${left} bytes left out …]\n${tail}`;
  }
}

/** The longest prefix of `text` within `bytes` UTF-8 bytes, as a character index that splits no code point. */
function cutAtBytes(text: string, bytes: number): number {
  let used = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (used + size > bytes) break;
    used += size;
    i += cp >= 0x10000 ? 2 : 1;
  }
  return i;
}

/** The longest suffix of `text` within `bytes` UTF-8 bytes. */
function lastBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  const buf = Buffer.from(text);
  let start = buf.length - bytes;
  // Step forward past continuation bytes so the suffix starts on a whole character.
  while (start < buf.length && (buf[start]! & 0xc0) === 0x80) start++;
  return buf.subarray(start).toString('utf8');
}
