import type { Namespace } from 'socket.io';
import type { LiveFrame } from './live.events';
import type { LiveTransport } from './live.ports';

/** engine.io keeps frames it could not yet hand to the network in `writeBuffer` (not in its typings). */
type EngineSocket = { writeBuffer?: unknown[] };

/**
 * The feed's transport over one socket.io namespace. Sends to a list of clients go through a
 * local-only broadcast, so each frame is encoded once and never crosses Redis (every instance serves
 * its own clients).
 */
export class SocketIoLiveTransport implements LiveTransport {
  constructor(private readonly nsp: Namespace) {}

  send(clientIds: string[], frames: LiveFrame[]): void {
    if (clientIds.length === 0) return;
    if (clientIds.length === 1) {
      const socket = this.nsp.sockets.get(clientIds[0]);
      for (const f of frames) socket?.emit(f.event, f.data);
      return;
    }
    const target = this.nsp.local.to(clientIds);
    for (const f of frames) target.emit(f.event, f.data);
  }

  backlog(clientId: string): number {
    const socket = this.nsp.sockets.get(clientId);
    return (socket?.conn as unknown as EngineSocket | undefined)?.writeBuffer?.length ?? 0;
  }

  disconnect(clientId: string): void {
    this.nsp.sockets.get(clientId)?.disconnect(true);
  }
}
