import { DataOpsError } from '../lib/errors';

/**
 * File-system errors the user can fix (a read-only or foreign-owned output folder, a file where a folder must be):
 * a DataOpsError that says what to do, so the command exits 2 instead of asking for a bug report.
 * Anything else: undefined (an internal error).
 */
export function userFacingFsError(e: unknown): DataOpsError | undefined {
  const err = e as NodeJS.ErrnoException | undefined;
  if (!err || typeof err.code !== 'string' || typeof err.syscall !== 'string') return undefined;
  const file = err.path ?? 'a file';
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return new DataOpsError(`cannot ${err.syscall} ${file}: permission denied. Make the output folder writable ` +
        `(chmod -R u+w, or check its owner) or choose another one with --out DIR`, { cause: e });
    case 'EROFS':
      return new DataOpsError(`cannot ${err.syscall} ${file}: the file system is read-only. ` +
        'Choose a writable output folder with --out DIR', { cause: e });
    case 'ENOTDIR':
    case 'EEXIST':
    case 'EISDIR':
      return new DataOpsError(`cannot ${err.syscall} ${file}: a file is where a folder is needed (or the other way round). ` +
        'Move that file away or choose another output folder with --out DIR', { cause: e });
    case 'ENOSPC':
    case 'EDQUOT':
      return new DataOpsError(`cannot ${err.syscall} ${file}: no space left on the device. Free some space and run again`, { cause: e });
    default:
      return undefined;
  }
}
