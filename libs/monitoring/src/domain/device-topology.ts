import type { DeviceStatus } from './device-state-machine';

/**
 * Which device sits behind which: the parent links of the watched devices, for root-cause analysis.
 * A device's ancestors are the path to it (nearest first); its descendants are what it takes down with it.
 * Walks stop at a device already seen, so a cycle that slipped into stored data cannot hang the poller,
 * and at a parent that is not watched.
 */
export class DeviceTopology {
  /** deviceId → parentId (null for a root, such as the core router), for every watched device. */
  private readonly parentOf = new Map<string, string | null>();
  private readonly children = new Map<string, Set<string>>();

  /** Adds a device, or moves it under another parent. */
  set(id: string, parentId: string | null): void {
    this.unlink(id);
    this.parentOf.set(id, parentId);
    if (!parentId) return;
    if (!this.children.has(parentId)) this.children.set(parentId, new Set());
    this.children.get(parentId)!.add(id);
  }

  delete(id: string): void {
    this.unlink(id);
    this.parentOf.delete(id);
  }

  /** The watched devices above `id`, nearest first. */
  ancestorIds(id: string): string[] {
    const out: string[] = [];
    const seen = new Set([id]);
    let parentId = this.parentOf.get(id) ?? null;
    while (parentId && !seen.has(parentId) && this.parentOf.has(parentId)) {
      seen.add(parentId);
      out.push(parentId);
      parentId = this.parentOf.get(parentId) ?? null;
    }
    return out;
  }

  /** Every watched device whose path passes through `id`. */
  descendantIds(id: string): string[] {
    const out: string[] = [];
    const stack = [...(this.children.get(id) ?? [])];
    const seen = new Set<string>([id]);
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      out.push(next);
      stack.push(...(this.children.get(next) ?? []));
    }
    return out;
  }

  private unlink(id: string): void {
    const parentId = this.parentOf.get(id);
    if (parentId) this.children.get(parentId)?.delete(id);
  }
}

/** What root-cause analysis needs to know of an ancestor. */
export interface AncestorHealth {
  /** The stored (confirmed) status. */
  status: DeviceStatus;
  /** Failed polls in a row, confirmed or not. */
  consecutiveFailures: number;
}

/** Some device on the path is confirmed `down`: a failure behind it is a consequence, not a cause. */
export function hasDownAncestor(ancestors: readonly AncestorHealth[]): boolean {
  return ancestors.some((a) => a.status === 'down');
}

/** Some device on the path is failing but not yet confirmed: the root cause is still being found. */
export function hasSuspectAncestor(ancestors: readonly AncestorHealth[]): boolean {
  return ancestors.some((a) => a.consecutiveFailures > 0 && a.status !== 'down' && a.status !== 'unreachable');
}
