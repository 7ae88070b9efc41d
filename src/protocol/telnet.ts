// The client side of TELNET (RFC 854/855) for UML port consoles, as bytes in and bytes out: IAC commands and
// subnegotiations taken out of the stream, NVT CR NUL turned back into CR, option answers that never loop (RFC 1143's
// rule: answer only a change), NAWS and TTYPE for the window size and terminal type. Hand-written on purpose: the
// maintained library (telnet-stream) is AGPL-3.0 and umux is MIT; this is one state machine, tested byte by byte.

export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const SE = 240;
export const NUL = 0;
export const CR = 13;

export const OPT = { BINARY: 0, ECHO: 1, SGA: 3, TTYPE: 24, NAWS: 31 } as const;

export type TelnetEvent =
  | { kind: 'will' | 'wont' | 'do' | 'dont'; option: number }
  | { kind: 'sub'; option: number; data: Uint8Array }
  | { kind: 'command'; code: number };

type State = 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac' | 'cr';

/** Splits a TELNET byte stream into console bytes and protocol events; state carries across chunks. */
export class TelnetDecoder {
  private state: State = 'data';
  private verb = 0;
  private sbOption = 0;
  private sb: number[] = [];

  decode(bytes: Uint8Array): { data: Uint8Array; events: TelnetEvent[] } {
    const out = new Uint8Array(bytes.length);
    let n = 0;
    const events: TelnetEvent[] = [];
    for (const b of bytes) {
      switch (this.state) {
        case 'data':
          if (b === IAC) this.state = 'iac';
          else {
            out[n++] = b;
            if (b === CR) this.state = 'cr';
          }
          break;
        case 'cr':
          // NVT: CR NUL means a bare CR, CR LF a newline; the NUL is not text.
          this.state = 'data';
          if (b === NUL) break;
          if (b === IAC) this.state = 'iac';
          else {
            out[n++] = b;
            if (b === CR) this.state = 'cr';
          }
          break;
        case 'iac':
          if (b === IAC) {
            out[n++] = IAC;
            this.state = 'data';
          } else if (b === WILL || b === WONT || b === DO || b === DONT) {
            this.verb = b;
            this.state = 'verb';
          } else if (b === SB) this.state = 'sb-option';
          else {
            events.push({ kind: 'command', code: b });
            this.state = 'data';
          }
          break;
        case 'verb':
          events.push({ kind: VERB_NAMES[this.verb]!, option: b });
          this.state = 'data';
          break;
        case 'sb-option':
          this.sbOption = b;
          this.sb = [];
          this.state = 'sb';
          break;
        case 'sb':
          if (b === IAC) this.state = 'sb-iac';
          else if (this.sb.length < 1024) this.sb.push(b);
          break;
        case 'sb-iac':
          if (b === SE) {
            events.push({ kind: 'sub', option: this.sbOption, data: Uint8Array.from(this.sb) });
            this.state = 'data';
          } else {
            if (b === IAC && this.sb.length < 1024) this.sb.push(IAC);
            this.state = 'sb';
          }
          break;
      }
    }
    return { data: out.subarray(0, n), events };
  }
}

const VERB_NAMES: Record<number, 'will' | 'wont' | 'do' | 'dont'> = { [WILL]: 'will', [WONT]: 'wont', [DO]: 'do', [DONT]: 'dont' };

/** Console bytes for the wire: IAC doubled, and a CR not followed by LF sent as CR NUL (NVT) unless BINARY is on. */
export function encodeInput(bytes: Uint8Array, binary: boolean): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out.push(b);
    if (b === IAC) out.push(IAC);
    else if (b === CR && !binary && bytes[i + 1] !== 10) out.push(NUL);
  }
  return Uint8Array.from(out);
}

/** IAC SB NAWS cols rows IAC SE, with any 255 in the sizes doubled. */
export function nawsMessage(cols: number, rows: number): Uint8Array {
  const body: number[] = [];
  for (const v of [cols, rows]) {
    const c = Math.max(0, Math.min(65535, Math.floor(v)));
    for (const b of [c >> 8, c & 255]) {
      body.push(b);
      if (b === IAC) body.push(IAC);
    }
  }
  return Uint8Array.from([IAC, SB, OPT.NAWS, ...body, IAC, SE]);
}

/** IAC SB TTYPE IS name IAC SE (the answer to the server's SEND). */
export function ttypeMessage(name: string): Uint8Array {
  return Uint8Array.from([IAC, SB, OPT.TTYPE, 0, ...[...name].map((c) => c.charCodeAt(0) & 0x7f), IAC, SE]);
}

/**
 * What this client agrees to, and the answers that follows from each request: the server may echo, suppress
 * go-ahead and go binary; we do NAWS, TTYPE, SGA and BINARY, and nothing else. A request for what is already in
 * force gets no answer, so two sides can never loop.
 */
export class TelnetOptions {
  private readonly us = new Set<number>();
  private readonly him = new Set<number>();
  private static readonly HIM_OK = new Set<number>([OPT.ECHO, OPT.SGA, OPT.BINARY]);
  private static readonly US_OK = new Set<number>([OPT.NAWS, OPT.TTYPE, OPT.SGA, OPT.BINARY]);

  constructor(
    private size: { cols: number; rows: number },
    private readonly termType = 'xterm-256color',
  ) {}

  get binary(): boolean {
    return this.us.has(OPT.BINARY);
  }

  /** The bytes to send in answer to one event (empty when none is due). */
  answer(ev: TelnetEvent): Uint8Array {
    switch (ev.kind) {
      case 'will':
        if (this.him.has(ev.option)) return new Uint8Array();
        if (TelnetOptions.HIM_OK.has(ev.option)) {
          this.him.add(ev.option);
          return cmd(DO, ev.option);
        }
        return cmd(DONT, ev.option);
      case 'wont':
        if (!this.him.delete(ev.option)) return new Uint8Array();
        return cmd(DONT, ev.option);
      case 'do':
        if (this.us.has(ev.option)) return ev.option === OPT.NAWS ? nawsMessage(this.size.cols, this.size.rows) : new Uint8Array();
        if (TelnetOptions.US_OK.has(ev.option)) {
          this.us.add(ev.option);
          const yes = cmd(WILL, ev.option);
          return ev.option === OPT.NAWS ? concat(yes, nawsMessage(this.size.cols, this.size.rows)) : yes;
        }
        return cmd(WONT, ev.option);
      case 'dont':
        if (!this.us.delete(ev.option)) return new Uint8Array();
        return cmd(WONT, ev.option);
      case 'sub':
        // TTYPE SEND (1): say what we are.
        if (ev.option === OPT.TTYPE && ev.data[0] === 1 && this.us.has(OPT.TTYPE)) return ttypeMessage(this.termType);
        return new Uint8Array();
      case 'command':
        return new Uint8Array();
    }
  }

  /** A new window size: the NAWS message to send now, or nothing when the server did not ask for NAWS. */
  resize(cols: number, rows: number): Uint8Array {
    this.size = { cols, rows };
    return this.us.has(OPT.NAWS) ? nawsMessage(cols, rows) : new Uint8Array();
  }
}

function cmd(verb: number, option: number): Uint8Array {
  return Uint8Array.from([IAC, verb, option]);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** UML's text for a port connection no guest line is waiting for (it keeps the connection queued). */
export const NO_CONSOLE_WAITING = '****\nThere are currently no UML consoles waiting for port connections.\nEither disconnect from one to make it available or activate some more\nby enabling more consoles in the UML /etc/inittab.\n****\n\0';
