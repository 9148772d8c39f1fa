import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError, StartupError } from './startup-error';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on a data dir, held by one process at a time (a pid file created with O_EXCL).
 * A lock left by a process that no longer runs is taken over.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): { lock: DataDirLock; tookOverStale: boolean } {
    const dir = path.resolve(dataDir);
    const fix = 'make it writable, or point NETDESK_DATA_DIR at another directory';
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw describeFsError(e, 'the data dir', dir, fix);
    }
    const file = path.join(dir, 'netdesk.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
        return { lock: new DataDirLock(file), tookOverStale: attempt > 0 };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw describeFsError(e, 'the data dir', dir, fix);
        const holder = Number(fs.readFileSync(file, 'utf8').trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
          throw new StartupError(
            `The data dir ${dir} is in use by another NetDesk process (pid ${holder}): ` +
              `stop it first, or point NETDESK_DATA_DIR at another directory.`,
          );
        }
        fs.rmSync(file, { force: true });
      }
    }
    throw new StartupError(`Could not lock the data dir ${dir}: remove ${file} if no NetDesk process runs on it.`);
  }

  /** Pid of the live process holding the lock on `dataDir`, if any. */
  static holder(dataDir: string): number | undefined {
    try {
      const pid = Number(fs.readFileSync(path.join(dataDir, 'netdesk.lock'), 'utf8').trim());
      return pid > 0 && isAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  release(): void {
    fs.rmSync(this.file, { force: true });
  }
}

export { isAlive };
