// Events in one shape (xterm.js Event.ts): a private Emitter<T>, exposed as `readonly onX: Event<T>`.

import type { Disposable } from './disposable.js';

export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> {
  private listeners: Array<(value: T) => void> = [];

  readonly event: Event<T> = (listener) => {
    this.listeners.push(listener);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  dispose(): void {
    this.listeners = [];
  }
}
