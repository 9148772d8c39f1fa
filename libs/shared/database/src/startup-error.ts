/**
 * A reason the service cannot start that the operator can act on. Its message is one line that names
 * the path, port or setting involved and the fix; `main` logs it as the only fatal line and exits.
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

/** What a file-system error means for a path the service must write, as one sentence with the fix. */
export function describeFsError(e: unknown, what: string, target: string, fix: string): StartupError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const user = process.getuid?.() === 0 ? 'root' : `uid ${process.getuid?.()}`;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new StartupError(`The disk holding ${what} ${target} is full (${code}): free some space, or ${fix}`);
    case 'EACCES':
    case 'EPERM':
      return new StartupError(`${capitalise(what)} ${target} is not writable by ${user} (${code}): ${fix}`);
    case 'EROFS':
      return new StartupError(`${capitalise(what)} ${target} is on a read-only file system (EROFS): ${fix}`);
    case 'ENOTDIR':
    case 'EEXIST':
      return new StartupError(`${capitalise(what)} ${target} is not a directory (${code}): ${fix}`);
    default:
      return new StartupError(`${capitalise(what)} ${target} cannot be used (${oneLine(e)}): ${fix}`);
  }
}

export function oneLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/\s*\n\s*/g, ' | ').trim();
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
