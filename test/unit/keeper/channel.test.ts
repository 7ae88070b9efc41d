// The keeper's channel: every byte kept until acked, numbered by offset; past the bound the source is paused (the
// guest waits); a new server gets exactly the bytes from the offset it asks for.

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KeptChannel, type ChannelSink } from '../../../src/keeper/channel.js';

function sink(): ChannelSink & { got: Buffer[]; ends: string[]; text(): string } {
  const got: Buffer[] = [];
  const ends: string[] = [];
  return {
    got,
    ends,
    data: (_c, b) => void got.push(Buffer.from(b)),
    ended: (_c, why) => void ends.push(why),
    text: () => Buffer.concat(got).toString(),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('KeptChannel', () => {
  it('keeps what no server has taken, and sends a new server the bytes from the offset it asks for', async () => {
    const source = new PassThrough();
    const c = new KeptChannel(1, 'managed:g', 'con0', 'pipe', 'pipe', { source }, undefined, 1024);
    source.write('hello ');
    source.write('world');
    await tick();
    expect(c.info()).toMatchObject({ read: 11, acked: 0 });
    const s = sink();
    c.stream(s, 6); // the log holds "hello ": the rest only
    expect(s.text()).toBe('world');
    expect(c.info().acked).toBe(6);
    source.write('!');
    await tick();
    expect(s.text()).toBe('world!');
  });

  it('sends nothing twice to a server that comes back with a later offset, and nothing at all while none is there', async () => {
    const source = new PassThrough();
    const c = new KeptChannel(1, 'k', 'con0', 'pipe', 'pipe', { source }, undefined, 1024);
    const first = sink();
    c.stream(first, 0);
    source.write('abcdef');
    await tick();
    c.ack(3);
    c.detach();
    source.write('ghi');
    await tick();
    expect(first.text()).toBe('abcdef');
    const second = sink();
    c.stream(second, 6); // it logged abcdef, its ack for 6 never came
    expect(second.text()).toBe('ghi');
  });

  it('stops reading past the bound (the guest waits) and reads again once half of it is acked', async () => {
    const source = new PassThrough();
    const c = new KeptChannel(1, 'k', 'con0', 'pipe', 'pipe', { source }, undefined, 100);
    source.write(Buffer.alloc(60, 0x61));
    source.write(Buffer.alloc(60, 0x62));
    await tick();
    expect(source.isPaused()).toBe(true);
    expect(c.info().read).toBe(120);
    c.ack(40); // 80 kept: still over half
    expect(source.isPaused()).toBe(true);
    c.ack(80); // 40 kept
    expect(source.isPaused()).toBe(false);
  });

  it('tells the server the fd ended after the last byte, and a later server too', async () => {
    const source = new PassThrough();
    const c = new KeptChannel(1, 'k', 'con0', 'pipe', 'pipe', { source }, undefined, 1024);
    const s = sink();
    c.stream(s, 0);
    source.end('bye');
    await tick();
    await tick();
    expect(s.text()).toBe('bye');
    expect(s.ends).toEqual(['the guest closed the line']);
    const later = sink();
    c.stream(later, 0);
    expect(later.text()).toBe('bye');
    expect(later.ends).toEqual(['the guest closed the line']);
  });

  it('writes typing to the sink, and none once closed', () => {
    const source = new PassThrough();
    const typed: string[] = [];
    const sinkStream = new PassThrough();
    sinkStream.on('data', (b: Buffer) => typed.push(b.toString()));
    const c = new KeptChannel(1, 'k', 'con0', 'pipe', 'pipe', { source, sink: sinkStream }, undefined, 1024);
    c.write(Buffer.from('ls\r'));
    c.close();
    c.write(Buffer.from('rm\r'));
    expect(typed.join('')).toBe('ls\r');
  });

  it('rests between reads of a pipe: the source is paused after a read and resumed after restMs, unless the bound holds it', async () => {
    const source = new PassThrough();
    const c = new KeptChannel(1, 'k', 'con0', 'pipe', 'pipe', { source, restMs: 20 }, undefined, 100);
    const s = sink();
    c.stream(s, 0);
    source.write('echo');
    await tick();
    expect(s.text()).toBe('echo'); // the first read after a quiet moment goes at once
    expect(source.isPaused()).toBe(true);
    source.write('ed');
    await tick();
    expect(c.info().read).toBe(4); // waits in the pipe (here, the stream's buffer) during the rest
    await new Promise((r) => setTimeout(r, 40));
    expect(s.text()).toBe('echoed');
    source.write(Buffer.alloc(120, 0x61)); // past the bound: the rest's end must not resume it
    await new Promise((r) => setTimeout(r, 40));
    expect(c.info().read).toBe(126);
    expect(source.isPaused()).toBe(true);
    c.ack(126);
    expect(source.isPaused()).toBe(false);
    c.close();
  });
});
