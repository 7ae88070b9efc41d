import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from '../../../src/core/disposable.js';

describe('toDisposable', () => {
  it('runs its function on the first dispose only', () => {
    let calls = 0;
    const d = toDisposable(() => calls++);
    d.dispose();
    d.dispose();
    expect(calls).toBe(1);
  });
});

describe('DisposableStore', () => {
  it('disposes its items in reverse order of registration', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('fd')));
    store.add(toDisposable(() => order.push('timer')));
    store.add(toDisposable(() => order.push('listener')));
    store.dispose();
    expect(order).toEqual(['listener', 'timer', 'fd']);
  });

  it('returns the item it was given from add', () => {
    const store = new DisposableStore();
    const item = toDisposable(() => undefined);
    expect(store.add(item)).toBe(item);
  });

  it('reports whether it has been disposed', () => {
    const store = new DisposableStore();
    expect(store.isDisposed).toBe(false);
    store.dispose();
    expect(store.isDisposed).toBe(true);
  });

  it('disposes each item once even when the store is disposed twice', () => {
    let calls = 0;
    const store = new DisposableStore();
    store.add({ dispose: () => calls++ });
    store.dispose();
    store.dispose();
    expect(calls).toBe(1);
  });

  it('disposes an item added after the store was disposed at once, and does not keep it', () => {
    let calls = 0;
    const store = new DisposableStore();
    store.dispose();
    store.add({ dispose: () => calls++ });
    expect(calls).toBe(1);
    store.dispose();
    expect(calls).toBe(1);
  });

  it('disposes the other items when one throws, then rethrows the first error', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('a')));
    store.add({
      dispose: () => {
        throw new Error('first');
      },
    });
    store.add(toDisposable(() => order.push('c')));
    store.add({
      dispose: () => {
        throw new Error('second');
      },
    });
    expect(() => store.dispose()).toThrow('second');
    expect(order).toEqual(['c', 'a']);
  });

  it('disposes nested stores with their own items', () => {
    const order: string[] = [];
    const outer = new DisposableStore();
    const inner = outer.add(new DisposableStore());
    inner.add(toDisposable(() => order.push('inner')));
    outer.add(toDisposable(() => order.push('outer')));
    outer.dispose();
    expect(order).toEqual(['outer', 'inner']);
    expect(inner.isDisposed).toBe(true);
  });
});
