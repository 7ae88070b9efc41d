// Where each console of a guest taken back from the keeper goes on: its log's commit point (log-commit.ts), cut back
// to if the log holds more; else what the keeper last heard was logged. Says so when bytes cannot be accounted for.

import { readCommit, rewindLog } from '../consoles/log-commit.js';
import type { KeptChannelInfo, KeptGuestInfo } from '../protocol/keeper-wire.js';
import type { KeeperLink } from './keeper-link.js';

export interface ResumePoint {
  name: string;
  /** The keeper offset to ask for bytes from. */
  from: number;
  /** Something worth an event (bytes that may be missing or twice). */
  note?: string;
}

/** One console: the commit point if it is this channel's and the keeper still has the bytes after it. */
export function resumeOffset(link: KeeperLink, dir: string, name: string, channel: KeptChannelInfo): ResumePoint {
  const point = readCommit(dir, name);
  if (!point || point.channel !== link.channelTag(channel.id)) {
    return { name, from: channel.acked, note: point ? undefined : `no record of how far its log went: going on from the last byte the keeper knows was logged` };
  }
  if (point.offset < channel.acked) {
    return { name, from: channel.acked, note: `${channel.acked - point.offset} bytes after the log's last record were already dropped by the keeper: the log misses them` };
  }
  if (point.offset > channel.read) {
    return { name, from: channel.acked, note: `its log claims ${point.offset} bytes but the keeper read ${channel.read}: going on from ${channel.acked}` };
  }
  if (!rewindLog(dir, name, point)) {
    return { name, from: point.offset, note: 'the log file of its last record was rotated away: the lines written after it may show twice' };
  }
  return { name, from: point.offset };
}

/** Every console of a kept guest, in console order. */
export function resumeOffsets(link: KeeperLink, dir: string, guest: KeptGuestInfo, channels: KeptChannelInfo[]): ResumePoint[] {
  return guest.consoles.map((c) => {
    const channel = channels.find((ch) => ch.id === c.id);
    if (!channel) return { name: c.name, from: 0, note: 'the keeper no longer lists this console' };
    return resumeOffset(link, dir, c.name, channel);
  });
}
