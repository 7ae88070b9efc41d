// tmux control mode (`tmux -C`), the part umux speaks: lines in, events out. `%output %PANE BYTES` carries what a
// pane's program wrote (bytes below 0x20 and `\` as `\ooo` octal), replies come between %begin and %end/%error,
// other `%` lines are notifications. Input goes back as `send-keys -H` hex, which carries any byte.
// A reply's %begin flags say whether the command came from this client's input (1) or elsewhere (0: the attach-session
// on its command line): the two race, so replies are matched to commands by that flag, never by counting blocks.

export type ControlEvent =
  | { kind: 'output'; pane: string; bytes: Uint8Array }
  | { kind: 'reply'; ok: boolean; lines: string[]; /** The command came from this client's input. */ own: boolean }
  | { kind: 'notification'; name: string; args: string }
  | { kind: 'exit'; reason: string };

/** Decodes the escaped bytes of a %output line: `\ooo` is one byte, everything else is itself (latin1). */
export function decodeControlOutput(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && /^[0-7]{3}$/.test(text.slice(i + 1, i + 4))) {
      out[n++] = parseInt(text.slice(i + 1, i + 4), 8) & 0xff;
      i += 3;
    } else out[n++] = c & 0xff;
  }
  return out.subarray(0, n);
}

/** Splits tmux's control-mode stream into events; feed it bytes as they come (latin1: tmux escapes what is not text). */
export class ControlParser {
  private partial = '';
  private block: { lines: string[]; own: boolean } | undefined;

  push(chunk: string): ControlEvent[] {
    const events: ControlEvent[] = [];
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const ev = this.line(line);
      if (ev) events.push(ev);
    }
    return events;
  }

  private line(line: string): ControlEvent | undefined {
    if (this.block) {
      if (/^%(end|error) \d+ \d+ \d+$/.test(line)) {
        const { lines, own } = this.block;
        this.block = undefined;
        return { kind: 'reply', ok: line.startsWith('%end'), lines, own };
      }
      this.block.lines.push(line);
      return undefined;
    }
    const begin = /^%begin \d+ \d+ (\d+)$/.exec(line);
    if (begin) {
      this.block = { lines: [], own: (Number(begin[1]) & 1) === 1 };
      return undefined;
    }
    const out = /^%output (%\d+) (.*)$/s.exec(line);
    if (out) return { kind: 'output', pane: out[1]!, bytes: decodeControlOutput(out[2]!) };
    const exit = /^%exit(?: (.*))?$/.exec(line);
    if (exit) return { kind: 'exit', reason: exit[1] ?? '' };
    const note = /^%([a-z-]+)(?: (.*))?$/.exec(line);
    if (note) return { kind: 'notification', name: note[1]!, args: note[2] ?? '' };
    return undefined;
  }
}

/** The control-mode command that types `bytes` into pane `pane` exactly (hex keys: no key names, no escaping). */
export function sendKeysCommand(pane: string, bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `send-keys -t ${pane} -H ${hex}\n`;
}

/** A pane id as tmux prints it (`%12`); anything else is refused before it reaches a command line. */
export function isPaneId(text: string): boolean {
  return /^%\d{1,9}$/.test(text);
}
