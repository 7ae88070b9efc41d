// What a running guest's command line (/proc/PID/cmdline, NUL-separated) says about it: umid, uml_dir, mem=, the
// disks and channels it was booted with, its notify socket. Kept so an adopted guest can be restarted as it started.

export interface UmlCmdline {
  argv: string[];
  umid?: string;
  umlDir?: string;
  mem?: string;
  /** `ubdb` (or `ubd1`) → `/srv/disk.img`, flags dropped from the key. */
  disks: Record<string, string>;
  /** `con0`, `con`, `ssl1` … → their spec as given. */
  channels: Record<string, string>;
  notify?: string;
}

/** Splits the raw cmdline file (NUL-separated, NUL-terminated) into words. */
export function splitCmdline(raw: string): string[] {
  const words = raw.split('\0');
  if (words[words.length - 1] === '') words.pop();
  return words;
}

export function parseUmlCmdline(argv: readonly string[]): UmlCmdline {
  const out: UmlCmdline = { argv: [...argv], disks: {}, channels: {} };
  for (const arg of argv.slice(1)) {
    const eq = arg.indexOf('=');
    if (eq < 0) continue;
    const key = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    if (key === 'umid') out.umid = value;
    else if (key === 'uml_dir') out.umlDir = value;
    else if (key === 'mem') out.mem = value;
    else if (key === 'mconsole' && value.startsWith('notify:')) out.notify = value.slice('notify:'.length);
    else if (/^ubd([a-z]|\d+)[rsdct]*$/.test(key)) out.disks[`ubd${/^ubd([a-z]|\d+)/.exec(key)![1]}`] = value;
    else if (/^(con|ssl)\d*$/.test(key)) out.channels[key] = value;
  }
  return out;
}

/**
 * The spec each console line gets from the command line, as UML applies them: `con=`/`ssl=` set every line, then
 * `conN=`/`sslN=` override one. Lines the command line leaves alone are not listed (UML's defaults apply).
 */
export function channelSpec(cmd: UmlCmdline, line: string): string | undefined {
  const kind = line.startsWith('ssl') ? 'ssl' : 'con';
  return cmd.channels[line] ?? cmd.channels[kind];
}

/**
 * The command line to relaunch a guest with, its consoles on lines umux can hold: every line on an inherited fd
 * (`con0=fd:0,fd:1`, UML's default for con0 too, went to a file or a terminal that is gone) becomes `pts`.
 */
export function relaunchArgv(argv: readonly string[]): { argv: string[]; moved: string[] } {
  const moved: string[] = [];
  const out = argv.map((arg, i) => {
    const m = /^(con\d*|ssl\d*)=fd:/.exec(arg);
    if (i === 0 || !m) return arg;
    moved.push(m[1]!);
    return `${m[1]}=pts`;
  });
  const setsCon0 = out.slice(1).some((a) => /^con0?=/.test(a));
  if (!setsCon0) {
    out.push('con0=pts');
    moved.push('con0');
  }
  return { argv: out, moved };
}
