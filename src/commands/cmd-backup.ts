// umux backup NAME [--to DIR]: pause, sysrq s, sparse copies of the disks, go (go even when a copy fails).
import { guestCommand, targetGuest } from './common.js';

export const backupCommand = guestCommand({
  name: 'backup',
  summary: "Online backup: pause the guest, sysrq s, sparse copy of its disks (or COW files), go",
  options: [{ name: 'to', value: 'DIR', summary: 'where the copies go (default: the state directory, backups/NAME/TIME)' }],
  details: ['go is sent even when a copy fails. Where each copy went is in the reply and the guest\'s event log.'],
  serve: (scope, call) => {
    const to = call.parsed.options['to'];
    return scope.backup(targetGuest(call), typeof to === 'string' ? to : undefined, call.progress);
  },
});
