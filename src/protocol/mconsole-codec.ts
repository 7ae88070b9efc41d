// The MConsole datagram codec (seed 004 ch. 8, kernel arch/um/include/shared/mconsole.h): requests, reply packets,
// reassembly of `more` packets, and notifications. All fields are little-endian u32 on x86; no I/O here.

import { MconsoleError } from '../core/errors.js';
import { decodeUtf8, encodeUtf8 } from '../core/utf8.js';

export const MCONSOLE_MAGIC = 0xcafebabe;
export const MCONSOLE_VERSION = 2;
export const MCONSOLE_MAX_DATA = 512;
/** A request is sent as the full struct, as uml_mconsole does: magic, version, len, data[512]. */
export const MCONSOLE_REQUEST_SIZE = 12 + MCONSOLE_MAX_DATA;
/** The command plus its NUL terminator must fit the data field. */
export const MCONSOLE_MAX_COMMAND = MCONSOLE_MAX_DATA - 1;

export interface ReplyPacket {
  /** 0 on success; otherwise the kernel's error, possibly a negative errno stored as u32 (see `errno`). */
  err: number;
  /** Non-zero while more packets of this reply follow. */
  more: boolean;
  /** The packet's text, up to the first NUL. */
  data: Uint8Array;
}

export interface Reply {
  ok: boolean;
  err: number;
  /** The kernel error as a signed number: -22 for an err field of 4294967274. */
  errSigned: number;
  /** The reply text: every packet's data, concatenated. */
  text: string;
  bytes: Uint8Array;
  packets: number;
}

export type NotificationType = 'socket' | 'panic' | 'hang' | 'user';
export const NOTIFICATION_TYPES: readonly NotificationType[] = ['socket', 'panic', 'hang', 'user'];

export interface Notification {
  type: NotificationType;
  /** The payload as text, with the kernel's trailing NUL (socket, panic) removed. */
  data: string;
  bytes: Uint8Array;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Encodes a command as a request datagram; refuses one that does not fit the 512-byte data field. */
export function encodeRequest(command: string): Uint8Array {
  const body = encodeUtf8(command);
  if (body.length > MCONSOLE_MAX_COMMAND) {
    throw new MconsoleError(
      'too-long',
      `command too long: ${body.length} bytes, mconsole takes at most ${MCONSOLE_MAX_COMMAND}`,
      { hint: 'shorten the command (UML would refuse it with "Request too large")', verb: command.split(' ')[0] },
    );
  }
  if (body.includes(0)) {
    throw new MconsoleError('usage', 'command contains a NUL byte, which mconsole cannot carry');
  }
  const out = new Uint8Array(MCONSOLE_REQUEST_SIZE);
  const dv = view(out);
  dv.setUint32(0, MCONSOLE_MAGIC, true);
  dv.setUint32(4, MCONSOLE_VERSION, true);
  dv.setUint32(8, body.length, true);
  out.set(body, 12);
  return out;
}

/** Decodes a request datagram (for the fake server in tests and for tracing). */
export function decodeRequest(bytes: Uint8Array): { magic: number; version: number; command: string } {
  if (bytes.length < 12) throw badReply(`request of ${bytes.length} bytes is shorter than its 12-byte header`);
  const dv = view(bytes);
  const len = dv.getUint32(8, true);
  if (len > MCONSOLE_MAX_DATA || 12 + len > bytes.length) {
    throw badReply(`request len ${len} does not fit a ${bytes.length}-byte datagram`);
  }
  return {
    magic: dv.getUint32(0, true),
    version: dv.getUint32(4, true),
    command: decodeUtf8(cutAtNul(bytes.subarray(12, 12 + len))),
  };
}

function badReply(message: string): MconsoleError {
  return new MconsoleError('bad-reply', message, {
    hint: 'the socket may not belong to a UML guest, or the guest is misbehaving',
  });
}

function cutAtNul(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/** Decodes one reply packet: `{u32 err, u32 more, u32 len, data[len]}`; `len` counts the kernel's NUL. */
export function decodeReplyPacket(bytes: Uint8Array): ReplyPacket {
  if (bytes.length < 12) {
    const text = decodeUtf8(cutAtNul(bytes)).trim();
    throw badReply(`reply of ${bytes.length} bytes is shorter than the 12-byte header${text ? `: "${text}"` : ''}`);
  }
  const dv = view(bytes);
  const err = dv.getUint32(0, true);
  const more = dv.getUint32(4, true);
  const len = dv.getUint32(8, true);
  if (more > 1) throw badReply(`reply has more=${more}, expected 0 or 1`);
  if (len > MCONSOLE_MAX_DATA) throw badReply(`reply len ${len} exceeds the ${MCONSOLE_MAX_DATA}-byte data field`);
  if (12 + len > bytes.length) {
    throw badReply(`reply len ${len} runs past the end of a ${bytes.length}-byte datagram`);
  }
  return { err, more: more === 1, data: cutAtNul(bytes.subarray(12, 12 + len)) };
}

/** The kernel stores negative errnos in the u32 err field; this turns 4294967274 back into -22. */
export function signedErr(err: number): number {
  return err > 0x7fffffff ? err - 0x100000000 : err;
}

/**
 * Reassembles the packets of one reply. The kernel sets `err` on the first packet only; the reply ends with the
 * first packet whose `more` is 0.
 */
export class ReplyAssembler {
  private readonly chunks: Uint8Array[] = [];
  private err = 0;
  private count = 0;
  private finished = false;

  get packets(): number {
    return this.count;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Adds a packet; returns the whole reply once the last packet has come, else undefined. */
  push(packet: ReplyPacket): Reply | undefined {
    if (this.finished) throw new MconsoleError('internal', 'reply packet after the last one');
    if (this.count === 0) this.err = packet.err;
    this.count++;
    this.chunks.push(packet.data);
    if (packet.more) return undefined;
    this.finished = true;
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return {
      ok: this.err === 0,
      err: this.err,
      errSigned: signedErr(this.err),
      text: decodeUtf8(bytes),
      bytes,
      packets: this.count,
    };
  }
}

/**
 * Decodes a notification datagram: the kernel's `{u32 magic, u32 version, u32 type, u32 len, data[len]}`, or the
 * layout of uml-utilities' uml_watchdog (the harddog's host side), whose struct declares `unsigned long magic`: on
 * a 64-bit host the magic takes 8 bytes (the upper 4 zero) and everything after it moves by 4. It sends 24 bytes
 * (the header and its padding) for a hang.
 */
export function decodeNotification(bytes: Uint8Array): Notification {
  if (bytes.length < 16) throw badReply(`notification of ${bytes.length} bytes is shorter than its 16-byte header`);
  const dv = view(bytes);
  const magic = dv.getUint32(0, true);
  if (magic !== MCONSOLE_MAGIC) {
    throw badReply(`notification magic 0x${magic.toString(16)}, expected 0x${MCONSOLE_MAGIC.toString(16)}`);
  }
  const wide = bytes.length >= 20 && dv.getUint32(4, true) === 0 && dv.getUint32(8, true) === MCONSOLE_VERSION;
  const at = wide ? 8 : 4;
  const version = dv.getUint32(at, true);
  if (version !== MCONSOLE_VERSION) throw badReply(`notification version ${version}, expected ${MCONSOLE_VERSION}`);
  const typeCode = dv.getUint32(at + 4, true);
  const type = NOTIFICATION_TYPES[typeCode];
  if (type === undefined) throw badReply(`notification type ${typeCode}, expected 0 to 3`);
  const len = dv.getUint32(at + 8, true);
  const start = at + 12;
  if (len > MCONSOLE_MAX_DATA) throw badReply(`notification len ${len} exceeds ${MCONSOLE_MAX_DATA}`);
  if (start + len > bytes.length) throw badReply(`notification len ${len} runs past a ${bytes.length}-byte datagram`);
  const raw = bytes.subarray(start, start + len);
  // socket and panic payloads end in a NUL; user payloads are the exact bytes written to /proc/mconsole.
  const data = type === 'user' ? raw : cutAtNul(raw);
  return { type, data: decodeUtf8(data), bytes: raw };
}

/** What an undecodable datagram was, for a log line: its size and first bytes in hex. */
export function describeDatagram(bytes: Uint8Array, max = 24): string {
  const head = Array.from(bytes.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${bytes.length} bytes: ${head}${bytes.length > max ? ' …' : ''}`;
}

/** Encodes a notification (for tests and the fake server), the kernel's layout. */
export function encodeNotification(type: NotificationType, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const dv = view(out);
  dv.setUint32(0, MCONSOLE_MAGIC, true);
  dv.setUint32(4, MCONSOLE_VERSION, true);
  dv.setUint32(8, NOTIFICATION_TYPES.indexOf(type), true);
  dv.setUint32(12, data.length, true);
  out.set(data, 16);
  return out;
}

/** Encodes reply packets the way the kernel does: 511-byte chunks plus a NUL, err on the first. */
export function encodeReplyPackets(err: number, text: string | Uint8Array): Uint8Array[] {
  const body = typeof text === 'string' ? encodeUtf8(text) : text;
  const packets: Uint8Array[] = [];
  let at = 0;
  do {
    const chunk = body.subarray(at, at + MCONSOLE_MAX_DATA - 1);
    at += chunk.length;
    const more = at < body.length;
    packets.push(encodeReplyPacket(packets.length === 0 ? err : 0, more, chunk));
  } while (at < body.length);
  return packets;
}

export function encodeReplyPacket(err: number, more: boolean, chunk: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + chunk.length + 1);
  const dv = view(out);
  dv.setUint32(0, err >>> 0, true);
  dv.setUint32(4, more ? 1 : 0, true);
  dv.setUint32(8, chunk.length + 1, true);
  out.set(chunk, 12);
  return out;
}
