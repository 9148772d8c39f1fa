import * as dgram from 'node:dgram';
import * as snmp from 'net-snmp';
import { decodeTrap, RawTrapPdu, TrapEvent } from './trap-decoder';
import { errorMessage } from './ping-prober';
import { ProbeLogger, silentProbeLogger } from './probe-logger';

export interface TrapReceiverOptions {
  /** UDP port (default 162, which needs root or CAP_NET_BIND_SERVICE). */
  port?: number;
  /** Bind address (default: all addresses of the transport's family). */
  address?: string;
  transport?: 'udp4' | 'udp6';
  /**
   * Accepted v1/v2c communities. Empty or absent: any community is accepted (net-snmp
   * `disableAuthorization`), since trap communities are cleartext and identify nothing; traps are
   * matched to devices by source address. When set, traps with other communities are counted as
   * `rejected` and dropped.
   */
  communities?: string[];
  onTrap: (event: TrapEvent) => void;
  clock?: () => Date;
  logger?: ProbeLogger;
}

export interface TrapReceiverCounters {
  /** Datagrams that reached the socket. */
  received: number;
  /** Delivered to `onTrap`. */
  decoded: number;
  /** Undecodable datagrams, non-trap PDUs, traps without the mandatory fields. */
  malformed: number;
  /** Community (or v3 user) not authorized. */
  rejected: number;
}

/**
 * SNMP trap receiver (v1 Trap-PDU, v2c SNMPv2-Trap and Inform) built on net-snmp's createReceiver.
 * Decodes linkDown/linkUp/coldStart/warmStart into {@link TrapEvent}s; nothing a sender can put on
 * the wire makes it throw.
 */
export class TrapReceiver {
  private receiver: {
    close(cb?: (socket: unknown) => void): void;
    getAuthorizer(): { addCommunity(c: string): void };
  } | null = null;
  private readonly sockets: dgram.Socket[] = [];
  private readonly logger: ProbeLogger;
  private readonly clock: () => Date;
  private readonly count: TrapReceiverCounters = { received: 0, decoded: 0, malformed: 0, rejected: 0 };
  private bound: { address: string; port: number } | null = null;

  constructor(private readonly options: TrapReceiverOptions) {
    const port = options.port ?? 162;
    // net-snmp turns port 0 into 162, so an ephemeral port cannot be requested.
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`invalid trap port ${port}`);
    this.logger = options.logger ?? silentProbeLogger;
    this.clock = options.clock ?? (() => new Date());
  }

  counters(): TrapReceiverCounters {
    return { ...this.count };
  }

  /** The bound address once started (port is the real one when 0 was asked for). */
  address(): { address: string; port: number } | null {
    return this.bound;
  }

  /** Binds the socket; rejects on bind errors (EADDRINUSE, EACCES for port < 1024). */
  async start(): Promise<{ address: string; port: number }> {
    if (this.receiver) throw new Error('trap receiver already started');
    const communities = (this.options.communities ?? []).filter((c) => c.length > 0);
    let startSettled = false;
    const sockets = this.sockets;
    const onDatagram = (): void => {
      this.count.received++;
    };
    const dgramModule = {
      createSocket: (type: dgram.SocketType): dgram.Socket => {
        const socket = dgram.createSocket(type);
        socket.on('message', onDatagram); // registered before net-snmp's own listener
        sockets.push(socket);
        return socket;
      },
    };
    const ready = new Promise<void>((resolve, reject) => {
      this.receiver = snmp.createReceiver(
        {
          port: this.options.port ?? 162,
          address: this.options.address ?? null,
          transport: this.options.transport ?? 'udp4',
          disableAuthorization: communities.length === 0,
          dgramModule,
        },
        (error: unknown, notification: unknown) => this.onReceiverCallback(error, notification, startSettled),
      );
      for (const c of communities) this.receiver?.getAuthorizer().addCommunity(c);
      const socket = sockets[0];
      if (!socket) return reject(new Error('net-snmp receiver did not create a socket'));
      socket.once('listening', () => resolve());
      socket.once('error', (err) => reject(err));
    });
    try {
      await ready;
    } catch (err) {
      startSettled = true;
      await this.stop();
      throw err;
    }
    startSettled = true;
    const info = sockets[0].address();
    this.bound = { address: info.address, port: info.port };
    this.logger.info({ ...this.bound, communityFilter: communities.length > 0 }, 'snmp trap receiver listening');
    return this.bound;
  }

  async stop(): Promise<void> {
    const receiver = this.receiver;
    this.receiver = null;
    this.bound = null;
    if (!receiver) return;
    await Promise.all(
      this.sockets.splice(0).map(
        (socket) =>
          new Promise<void>((resolve) => {
            try {
              socket.close(() => resolve());
            } catch {
              resolve(); // never bound or already closed
            }
          }),
      ),
    );
  }

  private onReceiverCallback(error: unknown, notification: unknown, started: boolean): void {
    try {
      if (error) return this.onError(error, started);
      const n = notification as { pdu?: RawTrapPdu; rinfo?: { address?: string } } | null;
      const source = n?.rinfo?.address;
      if (!n?.pdu || typeof source !== 'string') {
        this.malformed('notification without pdu or sender', undefined);
        return;
      }
      let event: TrapEvent;
      try {
        event = decodeTrap(n.pdu, source, this.clock());
      } catch (err) {
        this.malformed(errorMessage(err), source);
        return;
      }
      this.count.decoded++;
      try {
        this.options.onTrap(event);
      } catch (err) {
        this.logger.warn({ source, kind: event.kind, err: errorMessage(err) }, 'trap handler threw');
      }
    } catch (err) {
      this.logger.warn({ err: errorMessage(err) }, 'unexpected error while handling a trap');
    }
  }

  private onError(error: unknown, started: boolean): void {
    const e = error as { name?: string; message?: string; rinfo?: { address?: string } };
    const source = e?.rinfo?.address;
    if (!source) {
      // Socket-level error (not tied to a datagram): during start it rejects start().
      if (started) this.logger.warn({ err: e?.message }, 'trap receiver socket error');
      return;
    }
    if (
      e.name === 'RequestFailedError' &&
      /Local (community|user)|requires (authentication|privacy)/.test(e.message ?? '')
    ) {
      this.count.rejected++;
      this.logger.warn({ source }, 'trap rejected: community or user not authorized');
      return;
    }
    this.malformed(e.name ?? 'undecodable message', source);
  }

  private malformed(reason: string, source: string | undefined): void {
    const n = ++this.count.malformed;
    // Log the first and then every power of ten, so a flood of garbage cannot flood the logs.
    const log = Math.log10(n) % 1 === 0 ? this.logger.warn : this.logger.debug;
    log.call(this.logger, { source, reason: reason.slice(0, 200), malformedTotal: n }, 'malformed trap ignored');
  }
}
