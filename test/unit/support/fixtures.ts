// Wire texts captured from real UML 6.1 guests (docs/uml-host-findings.md §2, §3) and shared by the unit tests.

/** The kernel's reply to `help`, byte for byte (trailing spaces and the TAB before "same syntax" included). */
export const KERNEL_HELP =
  "Commands: \n    version - Get kernel version \n    help - Print this message \n    halt - Halt UML \n    reboot - Reboot UML \n    config <dev>=<config> - Add a new device to UML;  \n\tsame syntax as command line \n    config <dev> - Query the configuration of a device \n    remove <dev> - Remove a device from UML \n    sysrq <letter> - Performs the SysRq action controlled by the letter \n    cad - invoke the Ctrl-Alt-Del handler \n    stop - pause the UML; it will do nothing until it receives a 'go' \n    go - continue the UML after a 'stop' \n    log <string> - make UML enter <string> into the kernel log\n    proc <file> - returns the contents of the UML's /proc/<file>\n    stack <pid> - returns the stack of the specified pid\n";

/** The kernel's reply to `version` on the test guests (a 72-byte datagram, len=60). */
export const KERNEL_VERSION = 'Linux (none) 6.1.176 #1 Sat Jul  4 15:38:16 UTC 2026 x86_64';

/** Notification datagrams as captured on the notify socket (§3). */
export const NOTIFY_SOCKET_HEX =
  'bebafeca 02000000 00000000 1b000000 2f746d70 2f737069 6b652f75 6d6c2f67 312f6d63 6f6e736f 6c6500';
export const NOTIFY_USER_HI_HEX = 'bebafeca 02000000 03000000 03000000 68690a';
export const NOTIFY_USER_NO_NEWLINE_HEX = 'bebafeca 02000000 03000000 0a000000 6e6f2d6e 65776c69 6e65';
export const NOTIFY_PANIC_SEGFAULT_HEX =
  'bebafeca 02000000 01000000 14000000 53656766 61756c74 20776974 68206e6f 206d6d00';
export const NOTIFY_PANIC_SYSRQ_HEX =
  'bebafeca 02000000 01000000 16000000 73797372 71207472 69676765 72656420 63726173 6800';
