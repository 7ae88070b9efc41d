// A guest's command line as /proc/PID/cmdline gives it: NUL-split words, then umid, uml_dir, mem, disks, channels.

import { describe, expect, it } from 'vitest';
import { channelSpec, parseUmlCmdline, relaunchArgv, splitCmdline } from '../../../src/protocol/uml-cmdline.js';

describe('parseUmlCmdline', () => {
  it('reads a hand-started guest line', () => {
    const argv = splitCmdline('/usr/bin/linux\0umid=web1\0uml_dir=/srv/uml\0mem=256M\0ubdbr=/srv/b.img\0ubd2=/srv/c.cow,/srv/c\0ubdc=/srv/x\0con=null\0con1=pts\0ssl0=port:9000\0mconsole=notify:/run/n.sock\0quiet\0');
    expect(argv).toHaveLength(12);
    const c = parseUmlCmdline(argv);
    expect(c).toMatchObject({ umid: 'web1', umlDir: '/srv/uml', mem: '256M', notify: '/run/n.sock' });
    expect(c.disks).toEqual({ ubdb: '/srv/b.img', ubd2: '/srv/c.cow,/srv/c', ubdc: '/srv/x' });
    expect(channelSpec(c, 'con1')).toBe('pts');
    expect(channelSpec(c, 'con3')).toBe('null');
    expect(channelSpec(c, 'ssl0')).toBe('port:9000');
    expect(channelSpec(c, 'ssl1')).toBeUndefined();
    expect(c.argv[0]).toBe('/usr/bin/linux');
  });

  it('leaves out what the line does not say', () => {
    const c = parseUmlCmdline(['linux']);
    expect(c.umid).toBeUndefined();
    expect(c.mem).toBeUndefined();
    expect(c.disks).toEqual({});
  });
});

describe('relaunchArgv', () => {
  it('moves lines on inherited fds to pts, con0 too when UML\'s default put it there', () => {
    expect(relaunchArgv(['/usr/bin/linux', 'umid=a', 'con0=fd:0,fd:1', 'ssl1=fd:3', 'con1=pts'])).toEqual({
      argv: ['/usr/bin/linux', 'umid=a', 'con0=pts', 'ssl1=pts', 'con1=pts'],
      moved: ['con0', 'ssl1'],
    });
    expect(relaunchArgv(['/usr/bin/linux', 'umid=a', 'mem=64M'])).toEqual({ argv: ['/usr/bin/linux', 'umid=a', 'mem=64M', 'con0=pts'], moved: ['con0'] });
    expect(relaunchArgv(['/usr/bin/linux', 'con0=null'])).toEqual({ argv: ['/usr/bin/linux', 'con0=null'], moved: [] });
  });
});
