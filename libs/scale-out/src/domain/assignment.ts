import { createHash } from 'node:crypto';

/** A live member of a poller group, as its lease says. */
export interface GroupMember {
  name: string;
  epoch: number;
}

function score(member: string, deviceId: string): bigint {
  return createHash('sha1').update(`${member}\0${deviceId}`).digest().readBigUInt64BE(0);
}

/**
 * Rendezvous (highest random weight) hashing: every node that knows the same members picks the same
 * owner, devices spread evenly, and when a member joins or leaves only its share of devices moves.
 */
export function ownerOf(deviceId: string, members: readonly GroupMember[]): string | null {
  let best: string | null = null;
  let bestScore = -1n;
  for (const m of members) {
    const s = score(m.name, deviceId);
    if (s > bestScore || (s === bestScore && best !== null && m.name < best)) {
      best = m.name;
      bestScore = s;
    }
  }
  return best;
}

/**
 * Fencing: a result is applied only when its lease epoch is not older than the newest epoch that has
 * already written for the device, so a poller that slept past its lease cannot overwrite its successor.
 */
export function isFenced(resultEpoch: number, deviceEpoch: number | undefined): boolean {
  return deviceEpoch !== undefined && resultEpoch < deviceEpoch;
}
