import * as fs from 'node:fs';
import * as path from 'node:path';

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
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'netdesk.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
        return { lock: new DataDirLock(file), tookOverStale: attempt > 0 };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = Number(fs.readFileSync(file, 'utf8').trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
          throw new Error(
            `The data dir ${dataDir} is in use by another NetDesk process (pid ${holder}). ` +
              `Stop it first, or point NETDESK_DATA_DIR at another directory.`,
            { cause: e },
          );
        }
        fs.rmSync(file, { force: true });
      }
    }
    throw new Error(`Could not lock the data dir ${dataDir}`);
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
