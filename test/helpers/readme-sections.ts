// The README's generated sections (between `<!-- name -->` and `<!-- /name -->` markers): `npm run docs`
// rewrites them, and test/structure/docs.test.ts fails when they are stale.

import { commandsMarkdown } from '../../src/commands/help.js';
import { VERBS, SYSRQ_LETTERS } from '../../src/protocol/mconsole-verbs.js';
import { GUEST_KEYS } from '../../src/config/guest-keys.js';
import { KEYMAP } from '../../src/commands/keymap.js';
import { TUI_SETTING_KEYS } from '../../src/config/tui-settings.js';
import { HOST_KEYS } from '../../src/config/hosts-config.js';
import { SCROLL_KEYS } from '../../src/tui/scroll-keys.js';

/** The TUI's prefix keys and scrollback keys, from the key map the TUI uses. */
export function tuiKeysMarkdown(): string {
  const cell = (k: string) => `\`${k.replace(/\|/g, '\\|')}\``;
  return [
    '| after the prefix | runs | what it does |',
    '| --- | --- | --- |',
    ...KEYMAP.map((k) => `| ${cell(k.key)} | \`${k.line}\` | ${k.summary} |`),
    '',
    '| in scrollback | what it does |',
    '| --- | --- |',
    ...SCROLL_KEYS.map((k) => `| ${k.keys.split(' ').map(cell).join(' ')} | ${k.summary} |`),
  ].join('\n');
}

export function tuiSettingsMarkdown(): string {
  const rows = TUI_SETTING_KEYS.map((k) => `| \`${k.key}\` | ${k.type} | \`${k.default}\` | ${k.summary} |`);
  return ['| key | type | default | what it sets |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function hostKeysMarkdown(): string {
  const rows = HOST_KEYS.map((k) => `| \`${k.key}\` | ${k.type} | ${k.default} | ${k.summary} |`);
  return ['| key | type | default | what it sets |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function verbsMarkdown(): string {
  const rows = VERBS.map((v) => `| \`${v.usage}\` | ${v.summary} | ${v.context} |`);
  return ['| verb | what it does | runs in |', '| --- | --- | --- |', ...rows].join('\n');
}

export function sysrqMarkdown(): string {
  return Object.entries(SYSRQ_LETTERS)
    .filter(([k]) => !/^[1-8]$/.test(k))
    .map(([k, v]) => `\`${k}\` ${v}`)
    .join(' · ');
}

export function guestKeysMarkdown(): string {
  const rows = GUEST_KEYS.map((k) => `| \`${k.key}\` | ${k.type} | ${k.default === '' ? '-' : `\`${k.default}\``} | ${k.summary} |`);
  return ['| key | type | default | what it sets |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export const SECTIONS: Record<string, () => string> = {
  'guest-keys': guestKeysMarkdown,
  commands: commandsMarkdown,
  verbs: verbsMarkdown,
  sysrq: sysrqMarkdown,
  'tui-keys': tuiKeysMarkdown,
  'tui-settings': tuiSettingsMarkdown,
  'hosts-toml': hostKeysMarkdown,
};

/** Replaces each marked section of `readme` with freshly generated text. */
export function renderReadme(readme: string): string {
  let out = readme;
  for (const [name, make] of Object.entries(SECTIONS)) {
    const re = new RegExp(`(<!-- ${name} -->)[\\s\\S]*?(<!-- /${name} -->)`);
    if (!re.test(out)) throw new Error(`README.md has no <!-- ${name} --> section`);
    out = out.replace(re, (_m, a: string, b: string) => `${a}\n${make()}\n${b}`);
  }
  return out;
}
