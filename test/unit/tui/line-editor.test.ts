// The `:` prompt's line editor: raw terminal bytes in (keys, split UTF-8, escape sequences, paste), line and events out.

import { describe, expect, it } from 'vitest';
import { LineEditor } from '../../../src/tui/line-editor.js';

const b = (s: string) => new TextEncoder().encode(s);
const typed = (s: string, opts?: ConstructorParameters<typeof LineEditor>[0]) => {
  const ed = new LineEditor(opts);
  const events = ed.feed(b(s));
  return { ed, events };
};

describe('LineEditor typing and submitting', () => {
  it('inserts text, then submits on Enter with one change first', () => {
    const { ed, events } = typed('sysrq m\r');
    expect(events).toEqual([{ kind: 'change' }, { kind: 'submit', line: 'sysrq m' }]);
    expect(ed.line).toBe('sysrq m');
    expect(new LineEditor().feed(b('x\n'))).toEqual([{ kind: 'change' }, { kind: 'submit', line: 'x' }]);
  });

  it('stops at submit and hands back the bytes after it', () => {
    const { ed, events } = typed('ls\rmore');
    expect(events).toEqual([{ kind: 'change' }, { kind: 'submit', line: 'ls', rest: b('more') }]);
    expect(ed.line).toBe('ls');
  });

  it('joins UTF-8 characters split across feeds', () => {
    const ed = new LineEditor();
    const bytes = b('é€😀');
    expect(ed.feed(bytes.slice(0, 1))).toEqual([]);
    expect(ed.feed(bytes.slice(1, 4))).toEqual([{ kind: 'change' }]);
    expect(ed.line).toBe('é');
    ed.feed(bytes.slice(4, 7));
    expect(ed.line).toBe('é€');
    expect(ed.feed(bytes.slice(7))).toEqual([{ kind: 'change' }]);
    expect(ed.line).toBe('é€😀');
    expect(ed.cursor).toBe(4); // UTF-16 units
  });

  it('drops invalid UTF-8, control bytes and C1 or bidi characters', () => {
    const { ed, events } = typed('a\x00\x02\x1f');
    expect(ed.line).toBe('a');
    expect(events).toEqual([{ kind: 'change' }]);
    const ed2 = new LineEditor();
    ed2.feed(Uint8Array.of(0x61, 0xff, 0xc3, 0x62, 0xc2, 0x85, 0xe2, 0x80, 0xae, 0x63));
    expect(ed2.line).toBe('abc');
  });

  it('takes initial text with the cursor at its end', () => {
    const ed = new LineEditor({ initial: 'config ' });
    expect([ed.line, ed.cursor]).toEqual(['config ', 7]);
  });
});

describe('LineEditor editing keys', () => {
  it('moves with arrows, Home and End in CSI and SS3 forms and inserts at the cursor', () => {
    const ed = new LineEditor({ initial: 'bc' });
    ed.feed(b('\x1b[D\x1b[D'));
    expect(ed.cursor).toBe(0);
    ed.feed(b('a\x1bOC'));
    expect([ed.line, ed.cursor]).toEqual(['abc', 2]);
    for (const [home, end] of [['\x01', '\x05'], ['\x1b[H', '\x1b[F'], ['\x1b[1~', '\x1b[4~'], ['\x1bOH', '\x1bOF']]) {
      ed.feed(b(home!));
      expect(ed.cursor).toBe(0);
      ed.feed(b(end!));
      expect(ed.cursor).toBe(3);
    }
    ed.feed(b('\x1b[D\x1bOD'));
    expect(ed.cursor).toBe(1);
  });

  it('deletes with Backspace (0x7f and 0x08) and Delete', () => {
    const ed = new LineEditor({ initial: 'abcd' });
    ed.feed(b('\x7f'));
    expect(ed.line).toBe('abc');
    ed.feed(b('\x08'));
    expect(ed.line).toBe('ab');
    ed.feed(b('\x01\x1b[3~'));
    expect([ed.line, ed.cursor]).toEqual(['b', 0]);
    expect(ed.feed(b('\x7f'))).toEqual([]); // nothing before the cursor: no change
  });

  it('moves and deletes whole graphemes', () => {
    const ed = new LineEditor({ initial: 'ae\u0301😀' });
    ed.feed(b('\x1b[D'));
    expect(ed.cursor).toBe(3);
    ed.feed(b('\x1b[D'));
    expect(ed.cursor).toBe(1);
    ed.feed(b('\x1b[3~'));
    expect(ed.line).toBe('a😀');
    ed.feed(b('\x05\x7f'));
    expect(ed.line).toBe('a');
  });

  it('kills to the start, to the end and the previous word', () => {
    const ed = new LineEditor({ initial: 'config ubdb=/srv/d.img  ' });
    ed.feed(b('\x17'));
    expect(ed.line).toBe('config ');
    ed.feed(b('ubdc=x\x1b[D\x1b[D\x0b'));
    expect(ed.line).toBe('config ubdc');
    ed.feed(b('\x1b[D\x15'));
    expect([ed.line, ed.cursor]).toEqual(['c', 0]);
  });

  it('moves by words with Alt-b/Alt-f and Ctrl-Left/Right', () => {
    const ed = new LineEditor({ initial: 'proc meminfo' });
    ed.feed(b('\x1bb'));
    expect(ed.cursor).toBe(5);
    ed.feed(b('\x1b[1;5D'));
    expect(ed.cursor).toBe(0);
    ed.feed(b('\x1bf'));
    expect(ed.cursor).toBe(4);
    ed.feed(b('\x1b[1;3C'));
    expect(ed.cursor).toBe(12);
  });

  it('swallows unknown escape sequences and ignores other control bytes', () => {
    const { ed, events } = typed('a\x1b[99;1z\x1bOx\x1b[<0;3;4M\x1b[M abb\x1b[Ic\x04\x1a');
    expect(ed.line).toBe('abc');
    expect(events).toEqual([{ kind: 'change' }]);
  });

  it('waits for the rest of an escape sequence split across feeds', () => {
    const ed = new LineEditor({ initial: 'ab' });
    expect(ed.feed(b('\x1b['))).toEqual([]);
    expect(ed.feed(b('D'))).toEqual([{ kind: 'change' }]);
    expect(ed.cursor).toBe(1);
    expect(ed.feed(b('\x1bO'))).toEqual([]);
    ed.feed(b('H'));
    expect(ed.cursor).toBe(0);
  });
});

describe('LineEditor ending the prompt', () => {
  it('cancels on C-c, C-g, a lone ESC and ESC ESC', () => {
    expect(typed('ab\x03cd').events).toEqual([{ kind: 'change' }, { kind: 'cancel', rest: b('cd') }]);
    expect(typed('\x07').events).toEqual([{ kind: 'cancel' }]);
    expect(typed('x\x1b').events).toEqual([{ kind: 'change' }, { kind: 'cancel' }]);
    expect(typed('\x1b\x1bq').events).toEqual([{ kind: 'cancel', rest: b('q') }]);
  });

  it('asks for completion on Tab and keeps what follows for after it', () => {
    const { ed, events } = typed('sys\tx');
    expect(events).toEqual([{ kind: 'change' }, { kind: 'complete', rest: b('x') }]);
    ed.replace(0, 3, 'sysrq ');
    expect([ed.line, ed.cursor]).toEqual(['sysrq ', 6]);
    ed.feed((events[1] as { rest: Uint8Array }).rest);
    expect(ed.line).toBe('sysrq x');
  });

  it('replaces a range, clamped, with control characters removed', () => {
    const ed = new LineEditor({ initial: 'mc pr meminfo' });
    ed.replace(3, 5, 'proc');
    expect([ed.line, ed.cursor]).toEqual(['mc proc meminfo', 7]);
    ed.replace(20, 30, '\x1b!');
    expect([ed.line, ed.cursor]).toEqual(['mc proc meminfo!', 16]);
  });
});

describe('LineEditor history', () => {
  const history = ['proc uptime', 'sysrq m', 'ls'];

  it('walks newest first and brings the draft back after the newest', () => {
    const ed = new LineEditor({ history });
    ed.feed(b('dra'));
    ed.feed(b('\x1b[A'));
    expect([ed.line, ed.cursor]).toEqual(['proc uptime', 11]);
    ed.feed(b('\x10\x1bOA'));
    expect(ed.line).toBe('ls');
    expect(ed.feed(b('\x1b[A'))).toEqual([]); // the oldest: stays
    ed.feed(b('\x0e\x1b[B'));
    expect(ed.line).toBe('proc uptime');
    ed.feed(b('\x1bOB'));
    expect(ed.line).toBe('dra');
    expect(ed.feed(b('\x1b[B'))).toEqual([]);
  });

  it('submits a recalled line, edited', () => {
    const ed = new LineEditor({ history });
    expect(ed.feed(b('\x1b[A\x1b[A\x7fs\r'))).toEqual([{ kind: 'change' }, { kind: 'submit', line: 'sysrq s' }]);
  });
});

describe('LineEditor bracketed paste', () => {
  it('inserts pasted text with newlines as spaces and drops the markers, across feeds', () => {
    const ed = new LineEditor({ initial: 'send ' });
    expect(ed.feed(b('\x1b[200~echo a\r\necho b\n'))).toEqual([{ kind: 'change' }]);
    ed.feed(b('x\x1b[D\x03\x1b'));
    expect(ed.line).toBe('send echo a echo b x');
    expect(ed.feed(b('[201~'))).toEqual([]);
    expect(ed.feed(b('\r'))).toEqual([{ kind: 'submit', line: 'send echo a echo b x' }]);
  });
});

describe('LineEditor view', () => {
  it('shows the whole line when it fits, the cursor after it', () => {
    const ed = new LineEditor({ initial: 'ls' });
    expect(ed.view(10)).toEqual({ text: 'ls', cursorCol: 2 });
  });

  it('scrolls sideways only as far as the cursor needs', () => {
    const ed = new LineEditor({ initial: 'abcdefghij' });
    expect(ed.view(5)).toEqual({ text: 'ghij', cursorCol: 4 });
    ed.feed(b('\x1b[D\x1b[D'));
    expect(ed.view(5)).toEqual({ text: 'ghij', cursorCol: 2 });
    ed.feed(b('\x1b[D\x1b[D\x1b[D'));
    expect(ed.view(5)).toEqual({ text: 'fghij', cursorCol: 0 });
    ed.feed(b('\x01'));
    expect(ed.view(5)).toEqual({ text: 'abcde', cursorCol: 0 });
  });

  it('counts wide characters as two columns and never cuts one in half', () => {
    const ed = new LineEditor({ initial: '漢字ab' });
    expect(ed.view(10)).toEqual({ text: '漢字ab', cursorCol: 6 });
    const v = ed.view(4);
    expect(v).toEqual({ text: 'ab', cursorCol: 2 });
    ed.feed(b('\x01'));
    expect(ed.view(3)).toEqual({ text: '漢', cursorCol: 0 });
    ed.feed(b('\x1b[C'));
    expect(ed.view(3)).toEqual({ text: '字a', cursorCol: 0 });
    const emoji = new LineEditor({ initial: 'e\u0301😀x' });
    expect(emoji.view(4)).toEqual({ text: '😀x', cursorCol: 3 });
    expect(emoji.view(3)).toEqual({ text: 'x', cursorCol: 1 }); // the emoji would be cut: not shown
  });
});
