// blessed as the TUI uses it (a screen, boxes, a list, its colour and width tables), loaded from blessed's own files
// instead of its index, which loads all 34 widgets (images, video, forms, a terminal …): 16 modules against 45, a
// good part of blessed's 40-70 ms at the TUI's start. A tab's width still loads the whole of blessed, once.
// Each file is named in full (no computed path) so the start bundle (scripts/build-bundle.mjs) can carry it.

import { createRequire } from 'node:module';
import type Blessed from 'blessed';
import { compileCapsLazily } from './lazy-terminfo.js';

const require = createRequire(import.meta.url);
compileCapsLazily();

type Lite = Pick<typeof Blessed, 'screen' | 'box' | 'list'> & {
  colors: { match(r: number, g: number, b: number): number };
  unicode: { charWidth(s: string, i: number): number };
};

// Each widget module exports its constructor, which also works without `new` (as blessed.box() calls it).
const blessed: Lite = {
  screen: require('blessed/lib/widgets/screen') as Lite['screen'],
  box: require('blessed/lib/widgets/box') as Lite['box'],
  list: require('blessed/lib/widgets/list') as Lite['list'],
  colors: require('blessed/lib/colors') as Lite['colors'],
  unicode: require('blessed/lib/unicode') as Lite['unicode'],
};

export default blessed;
