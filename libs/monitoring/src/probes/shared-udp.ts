import * as dgram from 'node:dgram';
import { lookup } from 'node:dns';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';

type Family = 'udp4' | 'udp6';
type SendCallback = (error: Error | null, bytes?: number) => void;
/**
 * Reads the reply to one request before net-snmp does (the poller's fast path); true when it took the
 * reply, false to hand it to the session as usual.
 */
export type ReplyReader = (reply: Buffer) => boolean;

/**
 * A `dgram` look-alike for net-snmp (`options.dgramModule`): every session's "socket" is a light
 * object, and they share a few real UDP sockets per address family (`SOCKETS`, each with a receive
 * buffer of up to `RECV_BUFFER` bytes: one socket's default buffer overflows when a few hundred agents
 * answer at once, measured as lost replies and timeouts). A reply goes to the session
 * that sent the request with its id (the PDU's request-id, or msgID for v3, read from both datagrams),
 * whatever address it comes from: multi-homed routers often answer from another interface's address,
 * which a socket per session accepted too. A reply whose id is unknown goes to the sessions that last
 * sent to its address and port; each session still checks the id against its own requests.
 *
 * Why: with a socket per session, 20,000 polled devices are 20,000 file descriptors, or (with the pool
 * capped below that) a socket opened, bound and closed for nearly every poll. Shared, a session costs
 * only its objects, and the pool can keep one per device.
 */
const SOCKETS = 16;
const RECV_BUFFER = 1 << 20;

export class SharedUdpSockets {
  private readonly real = new Map<Family, dgram.Socket[]>();
  private assigned = 0;
  /** Sessions by the `address:port` they send to (usually one; two while credentials change). */
  private readonly byPeer = new Map<string, Set<VirtualUdpSocket>>();
  /** Requests sent and not answered yet, by message id; swept after `maxWaitMs` (timed out). */
  private readonly pending = new Map<number, { v: VirtualUdpSocket; at: number; read?: ReplyReader }>();
  private sweeper?: NodeJS.Timeout;
  private reffed = 0;

  /** @param maxWaitMs the longest a request can wait for its reply, retries included. */
  constructor(private readonly maxWaitMs = 60_000) {}

  /** What net-snmp calls instead of `dgram.createSocket`. */
  readonly createSocket = (type: Family | { type: Family }): VirtualUdpSocket =>
    new VirtualUdpSocket(this, typeof type === 'string' ? type : type.type, this.assigned++ % SOCKETS);

  /** Real UDP sockets open (at most `SOCKETS` per family). */
  get realSockets(): number {
    let n = 0;
    for (const sockets of this.real.values()) n += sockets.filter(Boolean).length;
    return n;
  }

  /** Closes the real sockets; sessions still open get `close`, which fails their requests. */
  closeAll(): void {
    for (const peers of [...this.byPeer.values()]) for (const v of [...peers]) v.close();
    for (const sockets of this.real.values()) for (const socket of sockets) socket?.close();
    this.real.clear();
    this.pending.clear();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.reffed = 0;
  }

  /** @internal */
  send(
    v: VirtualUdpSocket,
    buffer: Buffer,
    port: number,
    address: string,
    cb?: SendCallback,
    read?: ReplyReader,
  ): void {
    const socket = this.socketFor(v.family, v.slot);
    if (v.peerAddress !== address || v.peerPort !== port) {
      this.leave(v);
      v.peerAddress = address;
      v.peerPort = port;
      const peer = v.peer as string;
      let peers = this.byPeer.get(peer);
      if (!peers) this.byPeer.set(peer, (peers = new Set()));
      peers.add(v);
    }
    const id = snmpMessageId(buffer);
    if (id !== null) {
      // a retry (same id, sent by net-snmp's timer) keeps the reader of the first send
      const before = this.pending.get(id);
      this.pending.set(id, { v, at: Date.now(), read: read ?? (before?.v === v ? before.read : undefined) });
    }
    socket.send(buffer, 0, buffer.length, port, address, cb);
  }

  /** @internal */
  leave(v: VirtualUdpSocket): void {
    const peer = v.peer;
    if (!peer) return;
    const peers = this.byPeer.get(peer);
    peers?.delete(v);
    if (peers?.size === 0) this.byPeer.delete(peer);
    v.peerAddress = null;
  }

  /** @internal: a session waits for replies (true) or not; the real sockets keep the process up while any does. */
  setRef(on: boolean): void {
    this.reffed += on ? 1 : -1;
    for (const sockets of this.real.values()) {
      for (const socket of sockets) {
        if (this.reffed > 0) socket?.ref();
        else socket?.unref();
      }
    }
  }

  private socketFor(family: Family, slot: number): dgram.Socket {
    let sockets = this.real.get(family);
    if (!sockets) this.real.set(family, (sockets = []));
    let socket = sockets[slot];
    if (socket) return socket;
    socket = dgram.createSocket(family);
    const created = socket;
    // sends wait for the bind; the kernel caps the buffer at net.core.rmem_max
    socket.bind(0, () => {
      try {
        created.setRecvBufferSize(RECV_BUFFER);
      } catch {
        /* keep the default */
      }
    });
    if (this.reffed === 0) socket.unref();
    socket.on('message', (msg, rinfo) => {
      const id = snmpMessageId(msg);
      const request = id === null ? undefined : this.pending.get(id);
      if (request && !request.v.closed) {
        this.pending.delete(id as number);
        if (request.read?.(msg)) return;
        request.v.emit('message', msg, rinfo);
        return;
      }
      const peers = this.byPeer.get(`${rinfo.address}:${rinfo.port}`);
      if (peers) for (const v of peers) v.emit('message', msg, rinfo);
    });
    // a send error reaches the send callback; an error of the socket itself reaches every session on it
    socket.on('error', (err) => {
      for (const peers of this.byPeer.values()) for (const v of peers) if (v.family === family) v.emit('error', err);
    });
    sockets[slot] = socket;
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(1000, this.maxWaitMs / 2));
    this.sweeper.unref();
    return socket;
  }

  private sweep(): void {
    const before = Date.now() - this.maxWaitMs;
    for (const [id, request] of this.pending) if (request.at < before) this.pending.delete(id);
  }
}

/** What a net-snmp session holds as its socket. */
export class VirtualUdpSocket extends EventEmitter {
  /** Where this session last sent to: replies from there with an unknown id are its. */
  peerAddress: string | null = null;
  peerPort = 0;
  closed = false;
  private reffed = false;
  /** A DNS name resolved once per session (replies come from the address, not the name). */
  private resolved?: { name: string; address: string };
  /** Reader of the reply to the next datagram sent (see {@link readNextReply}). */
  private nextReader?: ReplyReader;

  /** `address:port` of the peer, the key replies are matched on. */
  get peer(): string | null {
    return this.peerAddress === null ? null : `${this.peerAddress}:${this.peerPort}`;
  }

  constructor(
    private readonly shared: SharedUdpSockets,
    readonly family: Family,
    /** Which of the family's real sockets this session sends from. */
    readonly slot: number,
  ) {
    super();
  }

  send(buffer: Buffer, offset: number, length: number, port: number, address: string, cb?: SendCallback): void {
    if (this.closed) {
      process.nextTick(() => cb?.(new Error('Not running')));
      return;
    }
    const read = this.nextReader;
    this.nextReader = undefined;
    const data = offset === 0 && length === buffer.length ? buffer : buffer.subarray(offset, offset + length);
    if (isIP(address) !== 0) return this.shared.send(this, data, port, address, cb, read);
    if (this.resolved?.name === address) return this.shared.send(this, data, port, this.resolved.address, cb, read);
    lookup(address, { family: this.family === 'udp6' ? 6 : 4 }, (err, ip) => {
      if (err) return cb?.(err);
      if (this.closed) return cb?.(new Error('Not running'));
      this.resolved = { name: address, address: ip };
      this.shared.send(this, data, port, ip, cb, read);
    });
  }

  /**
   * The reply to the next datagram this session sends (and to its retries) is first offered to `read`.
   * Call right before the session sends (net-snmp sends v1/v2c requests synchronously); `undefined` disarms.
   */
  readNextReply(read: ReplyReader | undefined): void {
    this.nextReader = read;
  }

  ref(): this {
    if (!this.reffed && !this.closed) {
      this.reffed = true;
      this.shared.setRef(true);
    }
    return this;
  }

  unref(): this {
    if (this.reffed) {
      this.reffed = false;
      this.shared.setRef(false);
    }
    return this;
  }

  /** Sessions send from the shared socket's port; binding a session to its own address is not supported. */
  bind(): this {
    throw new Error('sessions on a shared UDP socket cannot bind a source address or port');
  }

  close(): this {
    if (this.closed) return this;
    this.unref();
    this.closed = true;
    this.shared.leave(this);
    process.nextTick(() => this.emit('close'));
    return this;
  }
}

/**
 * The id net-snmp matches replies by, read from the datagram's BER header without decoding the rest:
 * v1/v2c `SEQUENCE { version, community, PDU { request-id, ... } }`, v3 `SEQUENCE { version,
 * msgGlobalData { msgID, ... }, ... }`. Null when the datagram does not have that shape.
 */
export function snmpMessageId(buf: Buffer): number | null {
  let pos = 0;
  const header = (): { tag: number; len: number } | null => {
    if (pos + 2 > buf.length) return null;
    const tag = buf[pos++];
    let len = buf[pos++];
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || pos + n > buf.length) return null;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[pos++];
    }
    return pos + len <= buf.length || tag === SEQUENCE ? { tag, len } : null;
  };
  const integer = (): number | null => {
    const h = header();
    if (!h || h.tag !== INTEGER || h.len < 1 || h.len > 5) return null;
    let value = buf[pos] & 0x80 ? -1 : 0;
    for (let i = 0; i < h.len; i++) value = value * 256 + buf[pos + i];
    pos += h.len;
    return value;
  };
  if (header()?.tag !== SEQUENCE) return null;
  const version = integer();
  if (version === null) return null;
  if (version === 3) {
    if (header()?.tag !== SEQUENCE) return null;
    return integer();
  }
  const community = header();
  if (!community || community.tag !== OCTET_STRING) return null;
  pos += community.len;
  const pdu = header();
  if (!pdu || (pdu.tag & 0xe0) !== CONTEXT_CONSTRUCTED) return null;
  return integer();
}

const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const SEQUENCE = 0x30;
const CONTEXT_CONSTRUCTED = 0xa0;
