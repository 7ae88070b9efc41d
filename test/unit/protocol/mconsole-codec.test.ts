import { describe, expect, it } from 'vitest';
import { MconsoleError } from '../../../src/core/errors.js';
import { decodeUtf8, encodeUtf8 } from '../../../src/core/utf8.js';
import {
  describeDatagram,
  decodeNotification,
  decodeReplyPacket,
  decodeRequest,
  encodeNotification,
  encodeReplyPacket,
  encodeReplyPackets,
  encodeRequest,
  MCONSOLE_MAX_COMMAND,
  MCONSOLE_REQUEST_SIZE,
  NOTIFICATION_TYPES,
  ReplyAssembler,
  signedErr,
  type Reply,
  type ReplyPacket,
} from '../../../src/protocol/mconsole-codec.js';
import { ascii, concat, hex, setU32, u32 } from '../support/bytes.js';
import {
  KERNEL_HELP,
  KERNEL_VERSION,
  NOTIFY_PANIC_SEGFAULT_HEX,
  NOTIFY_PANIC_SYSRQ_HEX,
  NOTIFY_SOCKET_HEX,
  NOTIFY_USER_HI_HEX,
  NOTIFY_USER_NO_NEWLINE_HEX,
} from '../support/fixtures.js';
import { rng, type Rng } from '../support/random.js';

/** Runs fn and returns what it threw; fails the test when it returns normally. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw, but the call returned');
}

function expectMconsoleError(fn: () => unknown, code: string): MconsoleError {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(MconsoleError);
  expect((err as MconsoleError).code).toBe(code);
  return err as MconsoleError;
}

/** A reply packet as the kernel sends it: header, `len` bytes of data (which include the NUL), nothing after. */
function rawReply(err: number, more: number, len: number, data: Uint8Array, size = 12 + len): Uint8Array {
  const out = new Uint8Array(size);
  setU32(out, 0, err);
  setU32(out, 4, more);
  setU32(out, 8, len);
  out.set(data.subarray(0, Math.max(0, size - 12)), 12);
  return out;
}

function assemble(packets: readonly Uint8Array[]): Reply {
  const asm = new ReplyAssembler();
  let reply: Reply | undefined;
  for (const p of packets) {
    expect(reply).toBeUndefined();
    reply = asm.push(decodeReplyPacket(p));
  }
  expect(reply).toBeDefined();
  return reply!;
}

describe('encodeRequest', () => {
  it('lays out the full 524-byte struct: magic, version 2 and len little-endian, then the command and zeros', () => {
    const req = encodeRequest('version');
    expect(req.length).toBe(524);
    expect(MCONSOLE_REQUEST_SIZE).toBe(524);
    expect([...req.subarray(0, 12)]).toEqual([0xbe, 0xba, 0xfe, 0xca, 0x02, 0, 0, 0, 0x07, 0, 0, 0]);
    expect(decodeUtf8(req.subarray(12, 19))).toBe('version');
    expect(req.subarray(19).every((b) => b === 0)).toBe(true);
  });

  it('counts len in UTF-8 bytes without the NUL terminator', () => {
    const req = encodeRequest('log é€😀');
    expect(u32(req, 8)).toBe(4 + 2 + 3 + 4);
    expect([...req.subarray(16, 25)]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    expect(req[25]).toBe(0);
  });

  it('encodes an empty command as len 0', () => {
    const req = encodeRequest('');
    expect(req.length).toBe(524);
    expect(u32(req, 8)).toBe(0);
  });

  it('accepts a command of exactly 511 bytes, leaving room for the NUL', () => {
    const command = `log ${'x'.repeat(507)}`;
    expect(encodeUtf8(command).length).toBe(511);
    expect(MCONSOLE_MAX_COMMAND).toBe(511);
    const req = encodeRequest(command);
    expect(u32(req, 8)).toBe(511);
    expect(req[12 + 510]).toBe(0x78);
    expect(req[12 + 511]).toBe(0);
  });

  it("refuses a command of 512 bytes with code 'too-long', as the kernel would answer \"Request too large\"", () => {
    const err = expectMconsoleError(() => encodeRequest(`log ${'x'.repeat(508)}`), 'too-long');
    expect(err.message).toContain('512');
    expect(err.verb).toBe('log');
  });

  it('refuses a command whose characters fit but whose UTF-8 bytes do not', () => {
    const command = `log ${'é'.repeat(254)}`; // 258 characters, 512 bytes
    expectMconsoleError(() => encodeRequest(command), 'too-long');
    expect(encodeRequest(`log ${'é'.repeat(253)}a`).length).toBe(524); // 511 bytes
  });

  it("refuses a command containing a NUL byte with code 'usage'", () => {
    expectMconsoleError(() => encodeRequest('log a\0b'), 'usage');
  });
});

describe('decodeRequest', () => {
  it('reads back what encodeRequest wrote', () => {
    const decoded = decodeRequest(encodeRequest('config ubdb=/tmp/x'));
    expect(decoded).toEqual({ magic: 0xcafebabe, version: 2, command: 'config ubdb=/tmp/x' });
  });

  it('accepts the short 12+len datagram form as well as the full struct', () => {
    const full = encodeRequest('sysrq m');
    expect(decodeRequest(full.subarray(0, 12 + 7)).command).toBe('sysrq m');
  });

  it('refuses a request shorter than its header or whose len runs past the datagram', () => {
    expectMconsoleError(() => decodeRequest(new Uint8Array(11)), 'bad-reply');
    expectMconsoleError(() => decodeRequest(encodeRequest('version').subarray(0, 18)), 'bad-reply');
    expectMconsoleError(() => decodeRequest(setU32(encodeRequest('version'), 8, 513)), 'bad-reply');
  });
});

describe('decodeReplyPacket', () => {
  it('decodes the 72-byte version reply whose len of 60 counts the trailing NUL', () => {
    const packet = rawReply(0, 0, 60, concat(ascii(KERNEL_VERSION), new Uint8Array(1)));
    expect(packet.length).toBe(72);
    const decoded = decodeReplyPacket(packet);
    expect(decoded.err).toBe(0);
    expect(decoded.more).toBe(false);
    expect(decodeUtf8(decoded.data)).toBe(KERNEL_VERSION);
  });

  it('decodes the 13-byte empty reply UML sends for a command with no output', () => {
    const decoded = decodeReplyPacket(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]));
    expect(decoded).toEqual({ err: 0, more: false, data: new Uint8Array(0) });
  });

  it('reads more=1 as a reply that continues', () => {
    expect(decodeReplyPacket(rawReply(0, 1, 2, ascii('\n\0'))).more).toBe(true);
  });

  it('keeps a negative errno as the raw u32 err field', () => {
    const decoded = decodeReplyPacket(rawReply(-22, 0, 23, ascii('Device is already open\0')));
    expect(decoded.err).toBe(4294967274);
    expect(signedErr(decoded.err)).toBe(-22);
  });

  it('accepts the largest packet, len 512 in a 524-byte datagram', () => {
    const data = concat(ascii('y'.repeat(511)), new Uint8Array(1));
    expect(decodeReplyPacket(rawReply(0, 1, 512, data)).data.length).toBe(511);
  });

  it('refuses every datagram shorter than the 12-byte header', () => {
    for (let n = 0; n < 12; n++) expectMconsoleError(() => decodeReplyPacket(new Uint8Array(n)), 'bad-reply');
  });

  it('quotes the text of a short headerless datagram in its error', () => {
    const err = expectMconsoleError(() => decodeReplyPacket(ascii('ERR nope')), 'bad-reply');
    expect(err.message).toContain('"ERR nope"');
  });

  it('refuses the bare "ERR Version 0" string UML sends to a client without magic', () => {
    const bare = ascii('ERR Version 0 mconsole clients are not supported by this driver');
    expectMconsoleError(() => decodeReplyPacket(bare), 'bad-reply');
  });

  it('refuses a more field other than 0 or 1', () => {
    expectMconsoleError(() => decodeReplyPacket(rawReply(0, 2, 1, new Uint8Array(1))), 'bad-reply');
    expectMconsoleError(() => decodeReplyPacket(rawReply(0, 0xffffffff, 1, new Uint8Array(1))), 'bad-reply');
  });

  it('refuses a len above 512 even when the datagram holds that many bytes', () => {
    expectMconsoleError(() => decodeReplyPacket(rawReply(0, 0, 513, new Uint8Array(513))), 'bad-reply');
  });

  it('refuses a len that runs past the end of the datagram', () => {
    const packet = rawReply(0, 0, 60, concat(ascii(KERNEL_VERSION), new Uint8Array(1)), 71);
    expectMconsoleError(() => decodeReplyPacket(packet), 'bad-reply');
  });

  it('stops the data at the first NUL inside len', () => {
    expect(decodeUtf8(decodeReplyPacket(rawReply(0, 0, 6, ascii('ab\0cd\0'))).data)).toBe('ab');
  });

  it('reads a packet that sits at an offset inside a larger buffer', () => {
    const packet = encodeReplyPacket(0, false, ascii('pts:/dev/pts/2'));
    const backing = concat(ascii('junk'), packet);
    expect(decodeUtf8(decodeReplyPacket(backing.subarray(4)).data)).toBe('pts:/dev/pts/2');
  });
});

describe('signedErr', () => {
  it('turns 4294967274 back into -22', () => {
    expect(signedErr(4294967274)).toBe(-22);
  });

  it('leaves 0 and small positive errors alone and maps the u32 extremes', () => {
    expect(signedErr(0)).toBe(0);
    expect(signedErr(1)).toBe(1);
    expect(signedErr(0x7fffffff)).toBe(0x7fffffff);
    expect(signedErr(0x80000000)).toBe(-0x80000000);
    expect(signedErr(0xffffffff)).toBe(-1);
  });
});

describe('ReplyAssembler', () => {
  it('reassembles help from 524- and 224-byte packets with len 512 and 212, as captured', () => {
    const packets = encodeReplyPackets(0, KERNEL_HELP);
    expect(packets.map((p) => p.length)).toEqual([524, 224]);
    expect(packets.map((p) => u32(p, 8))).toEqual([512, 212]);
    expect(packets.map((p) => u32(p, 4))).toEqual([1, 0]);
    const reply = assemble(packets);
    expect(reply.text).toBe(KERNEL_HELP);
    expect(reply.text.length).toBe(722);
    expect(reply.packets).toBe(2);
    expect(reply.ok).toBe(true);
  });

  it('reassembles a proc reply shaped like proc meminfo: a "\\n" packet, full packets, and an empty last one', () => {
    const body = 'MemTotal:          42484 kB\n'.repeat(40).slice(0, 1022 + 71);
    const b = ascii(body);
    const packets = [
      encodeReplyPacket(0, true, ascii('\n')),
      encodeReplyPacket(0, true, b.subarray(0, 511)),
      encodeReplyPacket(0, true, b.subarray(511, 1022)),
      encodeReplyPacket(0, true, b.subarray(1022)),
      encodeReplyPacket(0, false, new Uint8Array(0)),
    ];
    expect(packets.map((p) => p.length)).toEqual([14, 524, 524, 84, 13]);
    const asm = new ReplyAssembler();
    for (const p of packets.slice(0, 4)) {
      expect(asm.push(decodeReplyPacket(p))).toBeUndefined();
      expect(asm.done).toBe(false);
    }
    const reply = asm.push(decodeReplyPacket(packets[4]!));
    expect(asm.done).toBe(true);
    expect(asm.packets).toBe(5);
    expect(reply?.text).toBe(`\n${body}`);
    expect(reply?.packets).toBe(5);
  });

  it('takes err from the first packet only, as the kernel sets it there', () => {
    const failed = assemble([encodeReplyPacket(1, true, ascii('Read of ')), encodeReplyPacket(0, false, ascii('file failed'))]);
    expect(failed.ok).toBe(false);
    expect(failed.err).toBe(1);
    expect(failed.text).toBe('Read of file failed');

    const fine = assemble([encodeReplyPacket(0, true, ascii('a')), encodeReplyPacket(7, false, ascii('b'))]);
    expect(fine.ok).toBe(true);
    expect(fine.err).toBe(0);
  });

  it('reports a negative errno reply with its signed value', () => {
    const reply = assemble(encodeReplyPackets(-22, 'Device is already open'));
    expect(reply).toMatchObject({ ok: false, err: 4294967274, errSigned: -22, text: 'Device is already open' });
  });

  it('joins bytes before decoding, so a character split across packets survives', () => {
    const text = `ab${'€'.repeat(300)}`;
    const packets = encodeReplyPackets(0, text);
    expect(packets.length).toBe(2);
    expect(decodeUtf8(decodeReplyPacket(packets[0]!).data).endsWith('\ufffd')).toBe(true);
    expect(assemble(packets).text).toBe(text);
  });

  it('returns the reply bytes without NULs', () => {
    const reply = assemble(encodeReplyPackets(0, 'x'.repeat(600)));
    expect(reply.bytes.length).toBe(600);
    expect(reply.bytes.includes(0)).toBe(false);
  });

  it("refuses a packet after the last one with code 'internal'", () => {
    const asm = new ReplyAssembler();
    asm.push({ err: 0, more: false, data: ascii('ok') });
    expectMconsoleError(() => asm.push({ err: 0, more: false, data: ascii('late') }), 'internal');
  });

  it('counts packets as they arrive', () => {
    const asm = new ReplyAssembler();
    const p: ReplyPacket = { err: 0, more: true, data: ascii('x') };
    asm.push(p);
    asm.push(p);
    expect(asm.packets).toBe(2);
    expect(asm.done).toBe(false);
  });
});

describe('encodeReplyPackets', () => {
  it('encodes an empty reply as the 13-byte packet UML sends: more=0, len=1, a lone NUL', () => {
    const packets = encodeReplyPackets(0, '');
    expect(packets.map((p) => [...p])).toEqual([[0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]]);
  });

  it('fits 511 bytes in one packet and spills the 512th into a second', () => {
    expect(encodeReplyPackets(0, 'a'.repeat(511)).map((p) => p.length)).toEqual([524]);
    expect(encodeReplyPackets(0, 'a'.repeat(512)).map((p) => p.length)).toEqual([524, 14]);
  });

  it('puts err on the first packet only and terminates every chunk with a NUL', () => {
    const packets = encodeReplyPackets(1, 'e'.repeat(1100));
    expect(packets.map((p) => u32(p, 0))).toEqual([1, 0, 0]);
    expect(packets.map((p) => u32(p, 4))).toEqual([1, 1, 0]);
    for (const p of packets) expect(p[p.length - 1]).toBe(0);
  });

  it('round-trips text and raw bytes through decodeReplyPacket and ReplyAssembler', () => {
    const r = rng(0xc0dec);
    for (let n = 0; n < 200; n++) {
      const text = 'αβγ 😀 line\n'.repeat(r.int(120));
      const err = r.pick([0, 1, -2, -22, -111]);
      const reply = assemble(encodeReplyPackets(err, text));
      expect(reply.text).toBe(text);
      expect(reply.errSigned).toBe(err);
      expect(reply.ok).toBe(err === 0);
    }
    const raw = Uint8Array.from({ length: 1500 }, (_, i) => 1 + (i % 255));
    expect([...assemble(encodeReplyPackets(0, raw)).bytes]).toEqual([...raw]);
  });
});

describe('decodeNotification', () => {
  it('decodes the captured SOCKET notification without its trailing NUL', () => {
    const bytes = hex(NOTIFY_SOCKET_HEX);
    expect(bytes.length).toBe(43);
    const n = decodeNotification(bytes);
    expect(n.type).toBe('socket');
    expect(n.data).toBe('/tmp/spike/uml/g1/mconsole');
    expect(n.bytes.length).toBe(27);
    expect(n.bytes[26]).toBe(0);
  });

  it('decodes the captured USER notification "hi\\n" exactly as written', () => {
    const n = decodeNotification(hex(NOTIFY_USER_HI_HEX));
    expect(n).toEqual({ type: 'user', data: 'hi\n', bytes: ascii('hi\n') });
  });

  it('decodes the captured USER notification written without a newline', () => {
    const bytes = hex(NOTIFY_USER_NO_NEWLINE_HEX);
    expect(bytes.length).toBe(26);
    const n = decodeNotification(bytes);
    expect(n.type).toBe('user');
    expect(n.data).toBe('no-newline');
  });

  it('decodes the captured PANIC notification "Segfault with no mm"', () => {
    const bytes = hex(NOTIFY_PANIC_SEGFAULT_HEX);
    expect(bytes.length).toBe(36);
    const n = decodeNotification(bytes);
    expect(n.type).toBe('panic');
    expect(n.data).toBe('Segfault with no mm');
    expect(n.bytes.length).toBe(20);
  });

  it('decodes the captured PANIC notification "sysrq triggered crash"', () => {
    const n = decodeNotification(hex(NOTIFY_PANIC_SYSRQ_HEX));
    expect(n.type).toBe('panic');
    expect(n.data).toBe('sysrq triggered crash');
  });

  it('decodes type 2 as hang', () => {
    expect(decodeNotification(encodeNotification('hang', ascii('\0'))).type).toBe('hang');
    expect(NOTIFICATION_TYPES).toEqual(['socket', 'panic', 'hang', 'user']);
  });

  it("decodes the 24-byte hang notification of Debian's uml_watchdog (an 8-byte magic), captured with strace", () => {
    // sendto(3, "\276\272\376\312\0\0\0\0\2\0\0\0\2\0\0\0\0\0\0\0\375\177\0\0", 24, ...): the last 4 are padding
    const bytes = hex('bebafeca 00000000 02000000 02000000 00000000 fd7f0000');
    expect(bytes.length).toBe(24);
    expect(decodeNotification(bytes)).toEqual({ type: 'hang', data: '', bytes: new Uint8Array(0) });
  });

  it('describes an undecodable datagram by its size and first bytes', () => {
    expect(describeDatagram(hex('bebafeca 00000000'))).toBe('8 bytes: be ba fe ca 00 00 00 00');
    expect(describeDatagram(new Uint8Array(30).fill(0xab), 4)).toBe('30 bytes: ab ab ab ab …');
  });

  it('keeps the exact bytes of a USER notification, NUL included', () => {
    expect(decodeNotification(encodeNotification('user', ascii('a\0b'))).data).toBe('a\0b');
  });

  it('decodes the 528-byte USER notification of a 512-byte write', () => {
    const bytes = encodeNotification('user', ascii('A'.repeat(512)));
    expect(bytes.length).toBe(528);
    expect(decodeNotification(bytes).data).toBe('A'.repeat(512));
  });

  it('refuses a datagram shorter than the 16-byte header', () => {
    for (const n of [0, 1, 12, 15]) {
      expectMconsoleError(() => decodeNotification(hex(NOTIFY_USER_HI_HEX).subarray(0, n)), 'bad-reply');
    }
  });

  it('refuses a wrong magic', () => {
    const bytes = hex(NOTIFY_USER_HI_HEX);
    bytes[0] = 0xbf;
    const err = expectMconsoleError(() => decodeNotification(bytes), 'bad-reply');
    expect(err.message).toContain('cafebabf');
  });

  it('refuses a version other than 2', () => {
    expectMconsoleError(() => decodeNotification(setU32(hex(NOTIFY_USER_HI_HEX), 4, 1)), 'bad-reply');
    expectMconsoleError(() => decodeNotification(setU32(hex(NOTIFY_USER_HI_HEX), 4, 3)), 'bad-reply');
  });

  it('refuses a type above 3', () => {
    expectMconsoleError(() => decodeNotification(setU32(hex(NOTIFY_USER_HI_HEX), 8, 4)), 'bad-reply');
  });

  it('refuses a request datagram sent to the notify socket', () => {
    expectMconsoleError(() => decodeNotification(encodeRequest('version')), 'bad-reply');
  });

  it('refuses a len above 512 even when the datagram holds that many bytes', () => {
    const bytes = encodeNotification('user', ascii('A'.repeat(513)));
    expectMconsoleError(() => decodeNotification(bytes), 'bad-reply');
  });

  it('refuses a len that runs past the end of the datagram', () => {
    const bytes = hex(NOTIFY_PANIC_SEGFAULT_HEX);
    expectMconsoleError(() => decodeNotification(bytes.subarray(0, bytes.length - 1)), 'bad-reply');
  });
});

describe('encodeNotification', () => {
  it('reproduces the captured datagrams byte for byte', () => {
    const cases: Array<[string, Parameters<typeof encodeNotification>[0], string]> = [
      [NOTIFY_SOCKET_HEX, 'socket', '/tmp/spike/uml/g1/mconsole\0'],
      [NOTIFY_USER_HI_HEX, 'user', 'hi\n'],
      [NOTIFY_USER_NO_NEWLINE_HEX, 'user', 'no-newline'],
      [NOTIFY_PANIC_SEGFAULT_HEX, 'panic', 'Segfault with no mm\0'],
      [NOTIFY_PANIC_SYSRQ_HEX, 'panic', 'sysrq triggered crash\0'],
    ];
    for (const [capture, type, data] of cases) {
      expect([...encodeNotification(type, ascii(data))], capture).toEqual([...hex(capture)]);
    }
  });

  it('round-trips every type through decodeNotification', () => {
    for (const type of NOTIFICATION_TYPES) {
      const payload = type === 'user' ? encodeUtf8('héllo €\n') : encodeUtf8('héllo €\0');
      const n = decodeNotification(encodeNotification(type, payload));
      expect(n.type).toBe(type);
      expect(n.data).toBe(type === 'user' ? 'héllo €\n' : 'héllo €');
      expect([...n.bytes]).toEqual([...payload]);
    }
  });
});

describe('decoders on random input', () => {
  type Outcome = 'returned' | 'mconsole-error';

  /** Calls decode and says how it ended; any other throw fails the test with the input in the message. */
  function outcome(decode: (b: Uint8Array) => unknown, input: Uint8Array): Outcome {
    try {
      decode(input);
      return 'returned';
    } catch (err) {
      if (err instanceof MconsoleError) return 'mconsole-error';
      throw new Error(`non-MconsoleError for ${Buffer.from(input).toString('hex')}: ${String(err)}`);
    }
  }

  /** A valid datagram with a few bytes changed, cut short or extended: reaches the checks past the header. */
  function mutate(r: Rng, valid: readonly Uint8Array[]): Uint8Array {
    const base = r.pick(valid);
    let out: Uint8Array = Uint8Array.from(base);
    const flips = r.int(4);
    for (let i = 0; i < flips && out.length > 0; i++) {
      const at = r.next() < 0.6 ? r.int(Math.min(16, out.length)) : r.int(out.length);
      out[at] = r.next() < 0.5 ? r.int(256) : out[at]! ^ (1 << r.int(8));
    }
    if (r.next() < 0.3) out = out.subarray(0, r.int(out.length + 1));
    else if (r.next() < 0.3) out = concat(out, r.bytes(r.int(40)));
    return out;
  }

  const replies = [
    ...encodeReplyPackets(0, KERNEL_HELP),
    ...encodeReplyPackets(-22, 'Device is already open'),
    ...encodeReplyPackets(0, ''),
  ];
  const notifications = [NOTIFY_SOCKET_HEX, NOTIFY_USER_HI_HEX, NOTIFY_PANIC_SEGFAULT_HEX].map(hex);
  const requests = [encodeRequest('version'), encodeRequest('log hi\n').subarray(0, 19)];

  const decoders: Array<[string, (b: Uint8Array) => unknown, Uint8Array[]]> = [
    ['decodeReplyPacket', decodeReplyPacket, replies],
    ['decodeNotification', decodeNotification, notifications],
    ['decodeRequest', decodeRequest, requests],
  ];

  for (const [name, decode, valid] of decoders) {
    it(`${name} either returns or throws an MconsoleError on 2000 random byte arrays`, () => {
      const r = rng(name.length * 7919);
      const seen = new Set<Outcome>();
      for (let n = 0; n < 2000; n++) seen.add(outcome(decode, r.bytes(r.int(600))));
      expect(seen.has('mconsole-error')).toBe(true);
    });

    it(`${name} either returns or throws an MconsoleError on 2000 mutated valid datagrams, and both happen`, () => {
      const r = rng(name.length * 104729);
      const seen = new Set<Outcome>();
      for (let n = 0; n < 2000; n++) seen.add(outcome(decode, mutate(r, valid)));
      expect([...seen].sort()).toEqual(['mconsole-error', 'returned']);
    });
  }

  it('decodeReplyPacket never returns more than 511 data bytes or a NUL in the data', () => {
    const r = rng(42);
    for (let n = 0; n < 2000; n++) {
      const input = mutate(r, replies);
      try {
        const p = decodeReplyPacket(input);
        expect(p.data.length).toBeLessThanOrEqual(512);
        expect(p.data.includes(0)).toBe(false);
      } catch (err) {
        expect(err).toBeInstanceOf(MconsoleError);
      }
    }
  });

  it('decodeNotification only ever returns one of the four types', () => {
    const r = rng(43);
    for (let n = 0; n < 2000; n++) {
      const input = mutate(r, notifications);
      try {
        expect(NOTIFICATION_TYPES).toContain(decodeNotification(input).type);
      } catch (err) {
        expect(err).toBeInstanceOf(MconsoleError);
      }
    }
  });
});
