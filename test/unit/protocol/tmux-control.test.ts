// tmux control mode as umux reads it: %output bytes decoded from their octal escapes, replies between %begin and
// %end/%error, notifications, %exit, lines split across reads; send-keys as hex.
import { describe, expect, it } from 'vitest';
import { ControlParser, decodeControlOutput, isPaneId, sendKeysCommand } from '../../../src/protocol/tmux-control.js';

const str = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('decodeControlOutput', () => {
  it('turns \\ooo into one byte and leaves the rest', () => {
    expect(str(decodeControlOutput('a\\015\\012b\\134c\\033[1m'))).toBe('a\r\nb\\c\x1b[1m');
  });
  it('keeps a backslash not followed by three octal digits', () => {
    expect(str(decodeControlOutput('x\\9y\\01'))).toBe('x\\9y\\01');
  });
});

describe('ControlParser', () => {
  it('reads output, replies, notifications and exit, across split reads', () => {
    const p = new ControlParser();
    const events = [
      ...p.push('%begin 1 2 0\n%end 1 2 0\n%output %3 hello\\015\\012\n%out'),
      ...p.push('put %4 other\n%begin 5 6 1\n120 40 3 7 /dev/pts/9\n%end 5 6 1\n%begin 7 8 1\nno such pane\n%error 7 8 1\n'),
      ...p.push('%layout-change @1 b25d,80x24,0,0,2 b25d,80x24,0,0,2 *\n%exit detached\n'),
    ];
    expect(events.map((e) => (e.kind === 'output' ? { ...e, bytes: str(e.bytes) } : e))).toEqual([
      { kind: 'reply', ok: true, lines: [], own: false },
      { kind: 'output', pane: '%3', bytes: 'hello\r\n' },
      { kind: 'output', pane: '%4', bytes: 'other' },
      { kind: 'reply', ok: true, lines: ['120 40 3 7 /dev/pts/9'], own: true },
      { kind: 'reply', ok: false, lines: ['no such pane'], own: true },
      { kind: 'notification', name: 'layout-change', args: '@1 b25d,80x24,0,0,2 b25d,80x24,0,0,2 *' },
      { kind: 'exit', reason: 'detached' },
    ]);
  });
});

describe('ControlParser replies', () => {
  it("tells the attach's own reply (flags 0) from replies to commands written to the client (flags 1), in either order", () => {
    // Both orders were seen from tmux 3.3a for `tmux -C attach` with a command written at once.
    for (const text of ['%begin 1 263 0\n%end 1 263 0\n%begin 1 268 1\n120 /dev/pts/1\n%end 1 268 1\n', '%begin 1 270 1\n120 /dev/pts/1\n%end 1 270 1\n%begin 1 271 0\n%end 1 271 0\n']) {
      const own = new ControlParser().push(text).filter((e) => e.kind === 'reply' && e.own);
      expect(own).toEqual([{ kind: 'reply', ok: true, lines: ['120 /dev/pts/1'], own: true }]);
    }
  });
});

describe('sendKeysCommand', () => {
  it('types any byte as hex', () => {
    expect(sendKeysCommand('%3', new Uint8Array([0x65, 0x0d, 0x1b, 0x00]))).toBe('send-keys -t %3 -H 65 0d 1b 00\n');
  });
  it('accepts pane ids only', () => {
    expect(isPaneId('%12')).toBe(true);
    expect(isPaneId('%1; kill-server')).toBe(false);
    expect(isPaneId('web1')).toBe(false);
  });
});
