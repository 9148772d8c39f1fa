import type { DeviceStatus } from './device-state-machine';

/** deviceId → parentId (null for a root, such as the core router). */
export type ParentMap = ReadonlyMap<string, string | null>;

/**
 * The chain of parents above a device, nearest first. Stops at a device already seen, so a cycle
 * that slipped into stored data cannot hang the poller.
 */
export function ancestorsOf(parentMap: ParentMap, id: string): string[] {
  const ancestors: string[] = [];
  const seen = new Set<string>([id]);
  for (
    let parent = parentMap.get(id) ?? null;
    parent !== null && !seen.has(parent);
    parent = parentMap.get(parent) ?? null
  ) {
    ancestors.push(parent);
    seen.add(parent);
  }
  return ancestors;
}

/** True when making `newParentId` the parent of `childId` would close a loop (including a device parenting itself). */
export function wouldCreateCycle(parentMap: ParentMap, childId: string, newParentId: string | null): boolean {
  if (newParentId === null) return false;
  return newParentId === childId || ancestorsOf(parentMap, newParentId).includes(childId);
}

/** Every device whose parent chain passes through `id`: the impact of `id` going down. */
export function descendantsOf(parentMap: ParentMap, id: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const [child, parent] of parentMap) {
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const descendants = new Set<string>();
  const queue = [...(children.get(id) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (next === id || descendants.has(next)) continue;
    descendants.add(next);
    queue.push(...(children.get(next) ?? []));
  }
  return descendants;
}

/** True when any device above `id` is confirmed `down`, so `id` failing is a consequence, not a cause. */
export function hasDownAncestor(
  parentMap: ParentMap,
  statusOf: (deviceId: string) => DeviceStatus | undefined,
  id: string,
): boolean {
  return ancestorsOf(parentMap, id).some((ancestor) => statusOf(ancestor) === 'down');
}
