// Terminal notifications: the OSC 9 / OSC 777 bytes (wrapped for tmux and screen, guest text stripped of controls),
// and when the notifier writes one: a guest off screen coming to need attention, once per time it does.

import { describe, expect, it } from 'vitest';
import { attentionText, notificationSequence, oscText, TerminalNotifier } from '../../../src/tui/notify.js';
import type { GuestInfo } from '../../../src/protocol/wire-messages.js';

const guest = (name: string, state: string) => ({ name, state }) as unknown as GuestInfo;

describe('notificationSequence', () => {
  it('writes OSC 9 and OSC 777, and none for none', () => {
    expect(notificationSequence('osc9', 'umux', 'web1: kernel panic', undefined)).toBe('\x1b]9;umux: web1: kernel panic\x07');
    expect(notificationSequence('osc777', 'umux', 'web1: kernel panic', undefined)).toBe('\x1b]777;notify;umux;web1: kernel panic\x07');
    expect(notificationSequence('none', 'umux', 'x', 'tmux')).toBe('');
  });

  it('wraps for tmux (ESCs doubled) and screen', () => {
    expect(notificationSequence('osc9', 'umux', 'b', 'tmux')).toBe('\x1bPtmux;\x1b\x1b]9;umux: b\x07\x1b\\');
    expect(notificationSequence('osc9', 'umux', 'b', 'screen')).toBe('\x1bP\x1b]9;umux: b\x07\x1b\\');
  });

  it('lets no control character of a guest name through, nor a ; into a field', () => {
    const evil = 'web\x07\x1b]52;c;aGk=\x1b\\\x9b2J';
    const seq = notificationSequence('osc777', 'a;b', evil, undefined);
    expect(seq.slice(1, -1)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(seq).toBe('\x1b]777;notify;a b;web  ]52;c;aGk= \\ 2J\x07');
    expect([...oscText('x'.repeat(500))].length).toBe(200);
  });
});

describe('TerminalNotifier', () => {
  it('notifies once per guest coming to need attention off screen; nothing at start or for one on screen', () => {
    const out: string[] = [];
    const n = new TerminalNotifier('osc9', (b) => out.push(b), {});
    n.update([guest('a', 'crashed'), guest('b', 'running'), guest('c', 'running')], new Set(['c']));
    expect(out).toEqual([]);
    n.update([guest('a', 'crashed'), guest('b', 'unresponsive'), guest('c', 'crashed')], new Set(['c']));
    expect(out).toEqual([`\x1b]9;umux: ${attentionText('b', 'unresponsive')}\x07`]);
    n.update([guest('a', 'crashed'), guest('b', 'unresponsive'), guest('c', 'crashed')], new Set(['c']));
    n.update([guest('a', 'running'), guest('b', 'running')], new Set());
    n.update([guest('a', 'crashed'), guest('b', 'running')], new Set());
    expect(out).toHaveLength(2);
    expect(out[1]).toBe('\x1b]9;umux: a: kernel panic\x07');
  });

  it('writes nothing in mode none; inside tmux it wraps', () => {
    const out: string[] = [];
    const none = new TerminalNotifier('none', (b) => out.push(b), {});
    none.update([guest('a', 'running')], new Set());
    none.update([guest('a', 'crashed')], new Set());
    expect(out).toEqual([]);
    const tmux = new TerminalNotifier('osc9', (b) => out.push(b), { TMUX: '/tmp/tmux-1/default,1,0' });
    tmux.update([guest('a', 'running')], new Set());
    tmux.update([guest('a', 'stale')], new Set());
    expect(out[0]!.startsWith('\x1bPtmux;\x1b\x1b]9;')).toBe(true);
  });
});
