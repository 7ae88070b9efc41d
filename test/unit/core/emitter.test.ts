import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../src/core/emitter.js';

describe('Emitter', () => {
  it('delivers each fired value to every listener in subscription order', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    emitter.event((v) => seen.push(`a${v}`));
    emitter.event((v) => seen.push(`b${v}`));
    emitter.fire(1);
    emitter.fire(2);
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('stops delivering to a listener once its subscription is disposed', () => {
    const emitter = new Emitter<string>();
    const seen: string[] = [];
    const sub = emitter.event((v) => seen.push(v));
    emitter.fire('before');
    sub.dispose();
    emitter.fire('after');
    expect(seen).toEqual(['before']);
  });

  it('keeps the other listeners when one subscription is disposed', () => {
    const emitter = new Emitter<string>();
    const a: string[] = [];
    const b: string[] = [];
    const subA = emitter.event((v) => a.push(v));
    emitter.event((v) => b.push(v));
    subA.dispose();
    emitter.fire('x');
    expect(a).toEqual([]);
    expect(b).toEqual(['x']);
  });

  it('treats disposing a subscription twice as harmless', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const sub = emitter.event((v) => seen.push(v));
    sub.dispose();
    sub.dispose();
    emitter.event((v) => seen.push(v * 10));
    emitter.fire(1);
    expect(seen).toEqual([10]);
  });

  it('still delivers the current value to every listener when one disposes another during fire', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    let subB: { dispose(): void } | undefined;
    emitter.event((v) => {
      seen.push(`a${v}`);
      subB?.dispose();
    });
    subB = emitter.event((v) => seen.push(`b${v}`));
    emitter.fire(1);
    emitter.fire(2);
    expect(seen).toEqual(['a1', 'b1', 'a2']);
  });

  it('drops every listener when the emitter is disposed', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    emitter.event((v) => seen.push(v));
    emitter.dispose();
    emitter.fire(1);
    expect(seen).toEqual([]);
  });
});
