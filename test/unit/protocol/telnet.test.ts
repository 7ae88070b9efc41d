// TELNET client bytes: what busybox telnetd and inetutils telnetd send to a UML port console (uml-host-findings §4),
// split into console bytes and events; option answers; NAWS, TTYPE; input escaping.

import { describe, expect, it } from 'vitest';
import { encodeInput, nawsMessage, NO_CONSOLE_WAITING, TelnetDecoder, TelnetOptions, ttypeMessage, type TelnetEvent } from '../../../src/protocol/telnet.js';

const hex = (h: string) => Uint8Array.from(h.split(' ').map((x) => parseInt(x, 16)));
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('TelnetDecoder', () => {
  it('takes busybox telnetd negotiation out of the stream and keeps the text', () => {
    const d = new TelnetDecoder();
    const r = d.decode(Uint8Array.from([...hex('ff fd 01 ff fd 1f ff fb 01 ff fb 03'), ...Buffer.from('\r\r\n/ # ')]));
    expect(r.events).toEqual([
      { kind: 'do', option: 1 },
      { kind: 'do', option: 31 },
      { kind: 'will', option: 1 },
      { kind: 'will', option: 3 },
    ]);
    expect(text(r.data)).toBe('\r\r\n/ # ');
  });

  it('turns NVT CR NUL into CR, across chunk boundaries too', () => {
    const d = new TelnetDecoder();
    expect(text(d.decode(Buffer.from('a\r\0b\r')).data)).toBe('a\rb\r');
    expect(text(d.decode(Uint8Array.from([0, 0x63])).data)).toBe('c');
  });

  it('keeps a doubled IAC as one 0xff byte and splits commands across chunks', () => {
    const d = new TelnetDecoder();
    expect(Array.from(d.decode(hex('41 ff')).data)).toEqual([0x41]);
    expect(Array.from(d.decode(hex('ff 42 ff')).data)).toEqual([0xff, 0x42]);
    const r = d.decode(hex('fd 18'));
    expect(r.events).toEqual([{ kind: 'do', option: 24 }]);
    expect(r.data.length).toBe(0);
  });

  it('reads subnegotiations with escaped IACs, and bare commands', () => {
    const d = new TelnetDecoder();
    const r = d.decode(hex('ff fa 18 01 ff ff 02 ff f0 58 ff f1'));
    expect(r.events).toEqual([
      { kind: 'sub', option: 24, data: hex('01 ff 02') },
      { kind: 'command', code: 0xf1 },
    ] satisfies TelnetEvent[]);
    expect(text(r.data)).toBe('X');
  });

  it('leaves UML\'s "no consoles waiting" banner as text for the caller to recognise', () => {
    const r = new TelnetDecoder().decode(Buffer.from(NO_CONSOLE_WAITING, 'latin1'));
    expect(text(r.data)).toBe(NO_CONSOLE_WAITING);
  });
});

describe('TelnetOptions', () => {
  it('accepts echo and SGA from the server, refuses the rest, and answers each change once', () => {
    const o = new TelnetOptions({ cols: 80, rows: 24 });
    expect(Array.from(o.answer({ kind: 'will', option: 1 }))).toEqual([255, 253, 1]);
    expect(Array.from(o.answer({ kind: 'will', option: 1 }))).toEqual([]);
    expect(Array.from(o.answer({ kind: 'will', option: 37 }))).toEqual([255, 254, 37]);
    expect(Array.from(o.answer({ kind: 'wont', option: 1 }))).toEqual([255, 254, 1]);
    expect(Array.from(o.answer({ kind: 'wont', option: 1 }))).toEqual([]);
  });

  it('refuses to echo, agrees to NAWS with the size at once, and sends new sizes only once agreed', () => {
    const o = new TelnetOptions({ cols: 100, rows: 30 });
    expect(Array.from(o.resize(120, 40))).toEqual([]);
    expect(Array.from(o.answer({ kind: 'do', option: 1 }))).toEqual([255, 252, 1]);
    expect(Array.from(o.answer({ kind: 'do', option: 31 }))).toEqual([255, 251, 31, ...nawsMessage(120, 40)]);
    expect(Array.from(o.resize(200, 60))).toEqual([255, 250, 31, 0, 200, 0, 60, 255, 240]);
    expect(Array.from(o.answer({ kind: 'dont', option: 31 }))).toEqual([255, 252, 31]);
    expect(Array.from(o.resize(80, 24))).toEqual([]);
  });

  it('says its terminal type when asked', () => {
    const o = new TelnetOptions({ cols: 80, rows: 24 });
    o.answer({ kind: 'do', option: 24 });
    expect(text(o.answer({ kind: 'sub', option: 24, data: Uint8Array.from([1]) }))).toBe(text(ttypeMessage('xterm-256color')));
    expect(text(ttypeMessage('xterm'))).toBe('\xff\xfa\x18\x00xterm\xff\xf0');
  });
});

describe('encodeInput and nawsMessage', () => {
  it('doubles IAC and sends a lone CR as CR NUL, unless binary', () => {
    expect(Array.from(encodeInput(Uint8Array.from([0x61, 0xff, 0x0d]), false))).toEqual([0x61, 0xff, 0xff, 0x0d, 0x00]);
    expect(Array.from(encodeInput(Buffer.from('a\r\n'), false))).toEqual([0x61, 0x0d, 0x0a]);
    expect(Array.from(encodeInput(Uint8Array.from([0x0d]), true))).toEqual([0x0d]);
  });
  it('doubles a 255 inside a size', () => {
    expect(Array.from(nawsMessage(255, 24))).toEqual([255, 250, 31, 0, 255, 255, 0, 24, 255, 240]);
  });
});
