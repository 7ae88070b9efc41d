// Guest text made safe for a terminal: control characters shown visibly (text) or escaped (JSON), everything else
// kept exactly.

import { describe, expect, it } from 'vitest';
import { showControls, terminalJson, visibleControl } from '../../../src/core/terminal-text.js';
import { rng } from '../support/random.js';

/** What a terminal may act on: C0 but tab and newline, DEL, C1. */
const ACTIONABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('showControls', () => {
  it('shows OSC 52 (clipboard) and OSC 0/2 (title) as text', () => {
    expect(showControls('\x1b]52;c;aGFja2Vk\x07')).toBe('^[]52;c;aGFja2Vk^G');
    expect(showControls('\x1b]0;t\x07\x1b]2;t\x1b\\')).toBe('^[]0;t^G^[]2;t^[\\');
  });
  it('shows a lone ESC, CSI, CR, NUL and DEL in caret notation', () => {
    expect(showControls('a\x1bb')).toBe('a^[b');
    expect(showControls('\x1b[2J\x1b[?1049h')).toBe('^[[2J^[[?1049h');
    expect(showControls('over\rwrite')).toBe('over^Mwrite');
    expect(showControls('\x00\x01\x1a\x1f\x7f')).toBe('^@^A^Z^_^?');
  });
  it('shows C1 controls (CSI, OSC, ST as single characters) in hex', () => {
    expect(showControls('\u009b31m')).toBe('\\x9b31m');
    expect(showControls('\u009d0;title\u009c')).toBe('\\x9d0;title\\x9c');
    expect(showControls('\u0080\u009f')).toBe('\\x80\\x9f');
  });
  it('keeps newlines, tabs, printable ASCII, Latin-1 and other Unicode unchanged', () => {
    const text = 'NAME\tSTATE\nweb1\trunning ~ {} ^ \\ é ü \u00a0 \u00ff 漢字 🙂\n';
    expect(showControls(text)).toBe(text);
  });
  it('leaves no actionable control in any string, and changes nothing else', () => {
    const r = rng(0x7e57);
    // No ^ or backslash in the input, so every ^ or \x in the output is a control shown.
    const char = () => String.fromCharCode(r.int(4) === 0 ? r.int(0xa0) : r.int(0x3000)).replace(/[\^\\]/, 'x');
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let n = r.int(40); n > 0; n--) s += char();
      const shown = showControls(s);
      expect(shown).not.toMatch(ACTIONABLE);
      expect(shown.replace(/\^[@-_?]|\\x[89][0-9a-f]/g, '')).toBe(s.replace(new RegExp(ACTIONABLE, 'g'), ''));
    }
  });
  it('has one visible form per control character', () => {
    const forms = new Set<string>();
    for (let c = 0; c < 0xa0; c++) if (ACTIONABLE.test(String.fromCharCode(c))) forms.add(visibleControl(String.fromCharCode(c)));
    expect(forms.size).toBe(0x20 - 2 + 1 + 0x20);
  });
});

describe('terminalJson', () => {
  it('escapes C1, DEL, U+2028 and U+2029 as \\u, which JSON.stringify leaves raw', () => {
    const value = { name: 'evil\u009d0;t\u009c\x7f\u2028\u2029', esc: '\x1b]52;c;x\x07' };
    expect(JSON.stringify(value)).toMatch(/\u009d/);
    const json = terminalJson(value, 0);
    expect(json).toBe('{"name":"evil\\u009d0;t\\u009c\\u007f\\u2028\\u2029","esc":"\\u001b]52;c;x\\u0007"}');
    expect(JSON.parse(json)).toEqual(value);
  });
  it('is indented by two spaces by default, like the JSON umux printed before', () => {
    const value = { guests: [{ name: 'web1', pid: 42 }], problems: [] };
    expect(terminalJson(value)).toBe(JSON.stringify(value, null, 2));
  });
  it('round-trips any string and leaves no actionable control outside the structure', () => {
    const r = rng(0x1500);
    for (let i = 0; i < 500; i++) {
      let s = '';
      for (let n = r.int(30); n > 0; n--) s += String.fromCharCode(r.int(3) === 0 ? r.int(0xa0) : r.int(0x2100));
      const json = terminalJson({ s, list: [s] });
      expect(json.replace(/\n/g, '')).not.toMatch(ACTIONABLE);
      expect(JSON.parse(json)).toEqual({ s, list: [s] });
    }
  });
});
