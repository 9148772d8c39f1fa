import type { LiveDelta, LiveFrame, SnapshotMessage, SnapshotView } from './live.events';

/** How the feed reaches connected clients; implemented over socket.io by the gateway. */
export interface LiveTransport {
  /** Sends the same frames, in order, to every listed client (encoded once). */
  send(clientIds: string[], frames: LiveFrame[]): void;
  /** Frames handed to the client's connection but not yet taken by the network: > 0 means it is not keeping up. */
  backlog(clientId: string): number;
  disconnect(clientId: string): void;
}

/** What instances tell each other when `REDIS_URL` is set: changes their own bus saw, and stale site lookups. */
export type LiveRelayMessage = { delta: LiveDelta } | { forgetDevices: string[] };

export interface LiveRelay {
  publish(message: LiveRelayMessage): void;
}

/** Where snapshots come from (the database). */
export abstract class LiveSnapshotSource {
  abstract load(siteId: string | null, view: SnapshotView): Promise<SnapshotMessage>;
  /** Throws a `not_found` DomainError for an unknown site. */
  abstract assertSite(siteId: string): Promise<void>;
}
