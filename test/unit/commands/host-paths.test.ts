// Relative disk names in config and mc config argv become absolute; everything else passes unchanged.

import { describe, expect, it } from 'vitest';
import { absolutizeArgv } from '../../../src/commands/host-paths.js';

describe('absolutizeArgv', () => {
  it('rewrites the disk spec of config and of mc config', () => {
    expect(absolutizeArgv(['config', 'web1', 'ubdb=disk.img'], '/srv')).toEqual(['config', 'web1', 'ubdb=/srv/disk.img']);
    expect(absolutizeArgv(['config', 'web1', 'ubdcr=cow:../base'], '/srv/x')).toEqual(['config', 'web1', 'ubdcr=/srv/x/cow:/srv/base']);
    expect(absolutizeArgv(['mc', 'web1', 'config', 'ubdb=d'], '/h')).toEqual(['mc', 'web1', 'config', 'ubdb=/h/d']);
  });
  it('finds the spec with options before or among the arguments', () => {
    expect(absolutizeArgv(['config', '--yes', 'web1', 'ubdc=disk2.img'], '/srv')).toEqual(['config', '--yes', 'web1', 'ubdc=/srv/disk2.img']);
    expect(absolutizeArgv(['config', 'web1', '-y', 'ubdc=disk2.img'], '/srv')).toEqual(['config', 'web1', '-y', 'ubdc=/srv/disk2.img']);
    expect(absolutizeArgv(['config', 'web1', 'ubdc=disk2.img', '--yes'], '/srv')).toEqual(['config', 'web1', 'ubdc=/srv/disk2.img', '--yes']);
  });
  it('leaves other commands and specs alone', () => {
    expect(absolutizeArgv(['config', 'web1', 'eth0=mcast'], '/srv')).toEqual(['config', 'web1', 'eth0=mcast']);
    expect(absolutizeArgv(['mc', 'web1', 'proc', 'meminfo'], '/srv')).toEqual(['mc', 'web1', 'proc', 'meminfo']);
    expect(absolutizeArgv(['ls'], '/srv')).toEqual(['ls']);
  });
});
