/**
 * Cross-process bookkeeping for lab instances: one lock file per address slot in /run/netdesk-lab, which
 * records the owner process so that leftovers of a killed run can be recognised and removed.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_RANGE_CIDR, SLOT_COUNT, labBlock, rangesOverlap } from './lab-addresses';
import { ip, runSync } from './lab-commands';

export const STATE_DIR = '/run/netdesk-lab';
/** Every lab namespace and root-namespace interface name starts with this. */
export const LAB_NAME_PREFIX = 'ndl';
/** Routing protocol number that tags the lab's guard route in the root namespace. */
export const LAB_ROUTE_PROTO = '213';
/**
 * Installed once and deliberately left in place: `unreachable 198.18.0.0/15` with a high metric, so
 * traffic to a lab address never reaches the default gateway, even after destroy() (a poller still
 * running in afterAll) or while a link is cut. Any more specific route, the lab's or the machine's, wins.
 */
export const GUARD_ROUTE = ['unreachable', LAB_RANGE_CIDR, 'proto', LAB_ROUTE_PROTO, 'metric', '4000'];

export async function ensureGuardRoute(): Promise<void> {
  try {
    await ip(null, 'route', 'add', ...GUARD_ROUTE);
  } catch (error) {
    if (!/File exists/.test(String((error as { stderr?: string }).stderr ?? error))) throw error;
  }
}
export const TMP_DIR_PREFIX = 'netdesk-lab-';

export interface LabRecord {
  id: string;
  /** e.g. "ndlk3f9-" */
  prefix: string;
  slot: number;
  pid: number;
  pidStart: string | null;
  tmpDir: string;
  createdAt: string;
}

function slotFile(slot: number): string {
  return join(STATE_DIR, `slot-${slot}.json`);
}

/** Start time of a process (field 22 of /proc/<pid>/stat), to survive pid reuse. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function isOwnerAlive(record: Pick<LabRecord, 'pid' | 'pidStart'>): boolean {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  return record.pidStart === null || processStartTime(record.pid) === record.pidStart;
}

export function readRecords(): LabRecord[] {
  let names: string[];
  try {
    names = readdirSync(STATE_DIR);
  } catch {
    return [];
  }
  const records: LabRecord[] = [];
  for (const name of names) {
    if (!/^slot-\d+\.json$/.test(name)) continue;
    try {
      records.push(JSON.parse(readFileSync(join(STATE_DIR, name), 'utf8')) as LabRecord);
    } catch {
      // half-written or corrupt: treated as absent; the slot is reclaimed below if its owner is gone
    }
  }
  return records;
}

async function rootRoutesOverlap(cidr: string): Promise<boolean> {
  const out = await ip(null, '-4', '-j', 'route', 'show', 'table', 'all');
  const routes = JSON.parse(out || '[]') as Array<{ dst?: string; protocol?: string }>;
  return routes.some(
    (r) => r.dst && r.protocol !== LAB_ROUTE_PROTO && /^[\d.]+(\/\d+)?$/.test(r.dst) && rangesOverlap(r.dst, cidr),
  );
}

/**
 * Claims a free slot for the record (its `slot` field is filled in). Stale slots whose owner died are
 * cleaned and reused; slots whose block overlaps any existing route on this machine are skipped.
 */
export async function acquireSlot(record: Omit<LabRecord, 'slot'>): Promise<LabRecord> {
  mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });
  const start = Math.floor(Math.random() * SLOT_COUNT);
  for (let n = 0; n < SLOT_COUNT; n++) {
    const slot = (start + n) % SLOT_COUNT;
    const full: LabRecord = { ...record, slot };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(slotFile(slot), JSON.stringify(full), { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        let owner: LabRecord | null;
        try {
          owner = JSON.parse(readFileSync(slotFile(slot), 'utf8')) as LabRecord;
        } catch {
          owner = null;
        }
        if (owner && isOwnerAlive(owner)) break; // in use, next slot
        if (owner) await removeLeftovers(owner);
        try {
          unlinkSync(slotFile(slot));
        } catch {
          // someone else reclaimed it first
        }
        continue;
      }
      if (await rootRoutesOverlap(labBlock(slot).cidr)) {
        unlinkSync(slotFile(slot));
        break;
      }
      return full;
    }
  }
  throw new Error(`network lab: no free address slot in 198.18.0.0/15 (${SLOT_COUNT} slots, see ${STATE_DIR})`);
}

export function releaseSlot(record: LabRecord): void {
  try {
    const current = JSON.parse(readFileSync(slotFile(record.slot), 'utf8')) as LabRecord;
    if (current.id === record.id) unlinkSync(slotFile(record.slot));
  } catch {
    // already gone
  }
}

export async function listNamespaces(): Promise<string[]> {
  const out = await ip(null, 'netns', 'list');
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name): name is string => Boolean(name));
}

/** Kills every process in a namespace (snmpd and anything a test started in it), then deletes it. */
export async function deleteNamespace(ns: string): Promise<number> {
  let killed = 0;
  try {
    const pids = (await ip(null, 'netns', 'pids', ns)).split(/\s+/).filter((p) => /^\d+$/.test(p));
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
  } catch {
    // namespace may not exist
  }
  try {
    await ip(null, 'netns', 'del', ns);
  } catch {
    // already gone
  }
  return killed;
}

export function deleteNamespaceSync(ns: string): void {
  const pids = (runSync('ip', ['netns', 'pids', ns]) ?? '').split(/\s+/).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  runSync('ip', ['netns', 'del', ns]);
}

/**
 * Deletes the root-namespace links whose names start with `prefix` and waits (up to `timeoutMs`) until
 * none is listed. The kernel tears a deleted namespace down asynchronously, so the root end of its veth
 * can outlive `ip netns del` for a moment.
 */
export async function deleteRootLinks(prefix: string, timeoutMs = 5000): Promise<string[]> {
  const deleted: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const links = JSON.parse((await ip(null, '-j', 'link', 'show')) || '[]') as Array<{ ifname: string }>;
    const left = links.filter((l) => l.ifname.startsWith(prefix));
    if (left.length === 0 || Date.now() > deadline) return deleted;
    for (const link of left) {
      if (
        await ip(null, 'link', 'del', link.ifname).then(
          () => true,
          () => false,
        )
      )
        deleted.push(link.ifname);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface CleanupReport {
  namespaces: string[];
  processesKilled: number;
  links: string[];
}

/** Removes whatever a (dead) lab may have left: namespaces (and their processes), root links, temp dir. */
export async function removeLeftovers(record: LabRecord, report?: CleanupReport): Promise<void> {
  for (const ns of (await listNamespaces()).filter((n) => n.startsWith(record.prefix))) {
    const killed = await deleteNamespace(ns);
    report?.namespaces.push(ns);
    if (report) report.processesKilled += killed;
  }
  report?.links.push(...(await deleteRootLinks(record.prefix)));
  if (record.tmpDir.startsWith(join(tmpdir(), TMP_DIR_PREFIX))) rmSync(record.tmpDir, { recursive: true, force: true });
}

/**
 * Removes leftovers of labs whose owning process is gone: recorded labs, and orphans carrying the name
 * prefix (namespaces, root links, tagged guard routes, temp dirs) that no live lab claims.
 */
export async function cleanupStaleLabs(prefix: string, isLocalLive: (id: string) => boolean): Promise<CleanupReport> {
  const report: CleanupReport = { namespaces: [], processesKilled: 0, links: [] };
  const records = readRecords();
  const live = records.filter((r) => isLocalLive(r.id) || isOwnerAlive(r));
  for (const record of records) {
    if (live.includes(record) || !record.prefix.startsWith(prefix)) continue;
    await removeLeftovers(record, report);
    releaseSlot(record);
  }
  const claimed = (name: string) => live.some((r) => name.startsWith(r.prefix));
  for (const ns of (await listNamespaces()).filter((n) => n.startsWith(prefix) && !claimed(n))) {
    report.processesKilled += await deleteNamespace(ns);
    report.namespaces.push(ns);
  }
  const links = JSON.parse((await ip(null, '-j', 'link', 'show')) || '[]') as Array<{ ifname: string }>;
  for (const link of links.filter((l) => l.ifname.startsWith(prefix) && !claimed(l.ifname))) {
    await ip(null, 'link', 'del', link.ifname).catch(() => undefined);
    report.links.push(link.ifname);
  }
  if (prefix === LAB_NAME_PREFIX) {
    for (const entry of readdirSync(tmpdir())) {
      const match = /^netdesk-lab-([a-z0-9]{4})-/.exec(entry);
      if (match && !live.some((r) => r.id === match[1]))
        rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }
  return report;
}
