// The TUI's blessed (blessed-lite.ts): the screen, box and list constructors and the colour and width tables, without
// loading the widgets umux never makes (blessed's index loads all 34).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import blessed from '../../../src/tui/blessed-lite.js';

describe('blessed-lite', () => {
  it('gives what the TUI calls, and leaves the other widgets unloaded', () => {
    expect(typeof blessed.screen).toBe('function');
    expect(typeof blessed.box).toBe('function');
    expect(typeof blessed.list).toBe('function');
    expect(blessed.colors.match(255, 0, 0)).toBe(1); // red, as blessed's index has it
    expect(blessed.unicode.charWidth('世', 0)).toBe(2);
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('/blessed/lib/'));
    expect(loaded.some((f) => f.endsWith('/widgets/box.js'))).toBe(true);
    for (const unused of ['video.js', 'image.js', 'terminal.js', 'filemanager.js', 'bigtext.js']) expect(loaded.some((f) => f.endsWith(`/widgets/${unused}`))).toBe(false);
    expect(loaded.length).toBeLessThan(25);
  });
});
