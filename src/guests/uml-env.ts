// Host prerequisites for managed guests: Debian's UML kernel (/usr/bin/linux, package user-mode-linux) and a static
// busybox for the hostfs root (busybox-static). Says what is missing and the apt-get line that installs it.

import fs from 'node:fs';
import { UmuxError } from '../core/errors.js';
import { findBusybox } from './rootfs.js';

export const UML_KERNEL = '/usr/bin/linux';
export const UML_KERNEL_PACKAGE = 'user-mode-linux';
export const BUSYBOX_PACKAGE = 'busybox-static';

export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `kernel` (default /usr/bin/linux) when it is an executable file, else undefined. */
export function findUmlKernel(kernel: string = UML_KERNEL): string | undefined {
  return isExecutableFile(kernel) ? kernel : undefined;
}

export interface UmlHostCheck {
  kernel: string | undefined;
  busybox: string | undefined;
  /** Debian packages that would supply what is missing; empty when the host is ready. */
  missing: string[];
  /** The exact command that installs `missing`, or undefined when nothing is. */
  install: string | undefined;
}

export function checkUmlHost(kernel: string = UML_KERNEL): UmlHostCheck {
  const found = findUmlKernel(kernel);
  const busybox = findBusybox();
  const missing = [...(found ? [] : [UML_KERNEL_PACKAGE]), ...(busybox ? [] : [BUSYBOX_PACKAGE])];
  return {
    kernel: found,
    busybox,
    missing,
    install: missing.length > 0 ? `apt-get install ${missing.join(' ')}` : undefined,
  };
}

/** The kernel path, or a UmuxError saying how to get one. */
export function requireUmlKernel(kernel: string = UML_KERNEL): string {
  if (findUmlKernel(kernel)) return kernel;
  const hint = kernel === UML_KERNEL ? `apt-get install ${UML_KERNEL_PACKAGE}` : 'give the path of an executable UML kernel';
  throw new UmuxError('io', `no UML kernel at ${kernel}`, { hint });
}
