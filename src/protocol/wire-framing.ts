// Framing of the umux wire (client <-> server over a unix stream socket): `u32 length | u8 kind | payload`.
// Kind 1 carries a JSON message; kind 2 carries console bytes as they are (`u32 stream | bytes`), never base64.
// Each reader sets the largest frame it takes: the server takes small ones from clients, clients take snapshots.

import { UmuxError } from '../core/errors.js';
import { decodeUtf8, encodeUtf8 } from '../core/utf8.js';
import { formatLimit } from './wire-limits.js';

export const FRAME_JSON = 1;
export const FRAME_DATA = 2;
/** Largest frame a client accepts from the server; a snapshot of a full scrollback is well under this. */
export const MAX_FRAME = 32 * 1024 * 1024;

export type Frame = { kind: 'json'; value: unknown } | { kind: 'data'; stream: number; bytes: Uint8Array };

function header(length: number, kind: number): Uint8Array {
  const h = new Uint8Array(5);
  new DataView(h.buffer).setUint32(0, length, false);
  h[4] = kind;
  return h;
}

export function encodeJsonFrame(value: unknown): Uint8Array {
  const body = encodeUtf8(JSON.stringify(value));
  const out = new Uint8Array(5 + body.length);
  out.set(header(1 + body.length, FRAME_JSON), 0);
  out.set(body, 5);
  return out;
}

export function encodeDataFrame(stream: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(9 + bytes.length);
  out.set(header(5 + bytes.length, FRAME_DATA), 0);
  new DataView(out.buffer).setUint32(5, stream, false);
  out.set(bytes, 9);
  return out;
}

export interface FrameDecoderOptions {
  /** Largest frame taken (length field, kind byte included); a longer one is refused from its header on. */
  maxFrame?: number;
  /** Who sends the frames, for the message: "a client may send at most …". */
  sender?: string;
  /** What to do about a refused or malformed frame. */
  hint?: string;
}

/** Splits a byte stream into frames; partial frames wait for more bytes. A malformed frame is a protocol error. */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private readonly maxFrame: number;
  private readonly sender: string;
  private readonly hint: string;

  constructor(opts: FrameDecoderOptions = {}) {
    this.maxFrame = opts.maxFrame ?? MAX_FRAME;
    this.sender = opts.sender ?? 'the server';
    this.hint = opts.hint ?? 'client and server disagree about the protocol: restart the server (umux kill-server)';
  }

  /** Bytes of a frame that has begun but not ended (0 between frames). */
  get pending(): number {
    return this.buffered;
  }

  push(bytes: Uint8Array): Frame[] {
    if (bytes.length > 0) {
      this.chunks.push(bytes);
      this.buffered += bytes.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      if (this.buffered < 5) break;
      const head = this.peek(5);
      const length = new DataView(head.buffer, head.byteOffset, 5).getUint32(0, false);
      if (length < 1) throw new UmuxError('bad-reply', 'wire frame of 0 bytes: expected at least its kind byte', { hint: this.hint });
      if (length > this.maxFrame) {
        throw new UmuxError('too-long', `wire frame of ${length} bytes: ${this.sender} may send at most ${this.maxFrame} bytes (${formatLimit(this.maxFrame)})`, {
          hint: this.hint,
        });
      }
      if (this.buffered < 4 + length) break;
      const frame = this.take(4 + length).subarray(4);
      frames.push(decodeFrameBody(frame));
    }
    return frames;
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    return this.flatten().subarray(0, n);
  }

  private flatten(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0]!;
    const all = new Uint8Array(this.buffered);
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.length;
    }
    this.chunks = [all];
    return all;
  }

  private take(n: number): Uint8Array {
    const all = this.chunks[0]!.length >= n ? this.chunks[0]! : this.flatten();
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest, ...this.chunks.slice(1)] : this.chunks.slice(1);
    this.buffered -= n;
    return out;
  }
}

function decodeFrameBody(body: Uint8Array): Frame {
  const kind = body[0];
  if (kind === FRAME_JSON) {
    try {
      return { kind: 'json', value: JSON.parse(decodeUtf8(body.subarray(1))) };
    } catch {
      throw new UmuxError('bad-reply', 'wire frame holds invalid JSON', { hint: 'restart the server (umux kill-server)' });
    }
  }
  if (kind === FRAME_DATA && body.length >= 5) {
    const stream = new DataView(body.buffer, body.byteOffset + 1, 4).getUint32(0, false);
    return { kind: 'data', stream, bytes: body.subarray(5) };
  }
  throw new UmuxError('bad-reply', `wire frame of kind ${kind}: expected ${FRAME_JSON} (json) or ${FRAME_DATA} (data)`, {
    hint: 'client and server disagree about the protocol: restart the server (umux kill-server)',
  });
}
