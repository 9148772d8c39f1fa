import * as dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { AddressInfo } from 'node:net';
import * as snmp from 'net-snmp';
import { SharedUdpSockets, snmpMessageId, VirtualUdpSocket } from './shared-udp';

/** A UDP server on loopback that answers every datagram with `<name>:<datagram>`. */
async function echo(name: string): Promise<{ port: number; close: () => void; seen: string[] }> {
  const socket = dgram.createSocket('udp4');
  const seen: string[] = [];
  socket.on('message', (msg, rinfo) => {
    seen.push(`${rinfo.address}:${rinfo.port}`);
    socket.send(`${name}:${msg.toString()}`, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: (socket.address() as AddressInfo).port, close: () => socket.close(), seen };
}

const received = (v: VirtualUdpSocket) => {
  const out: string[] = [];
  v.on('message', (msg: Buffer) => out.push(msg.toString()));
  return out;
};
const send = (v: VirtualUdpSocket, text: string, port: number, address = '127.0.0.1') =>
  new Promise<void>((resolve, reject) => {
    const b = Buffer.from(text);
    v.send(b, 0, b.length, port, address, (err) => (err ? reject(err) : resolve()));
  });
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

/** BER type-length-value (short or long length form). */
const tlv = (tag: number, content: Buffer): Buffer => {
  const n = content.length;
  const len = n < 128 ? Buffer.from([n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
};
const int = (v: number): Buffer => {
  const bytes: number[] = [];
  do {
    bytes.unshift(v & 0xff);
    v >>= 8;
  } while (v !== 0 && v !== -1);
  if ((bytes[0] & 0x80) !== (v === -1 ? 0x80 : 0)) bytes.unshift(v === -1 ? 0xff : 0);
  return tlv(0x02, Buffer.from(bytes));
};
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const sysUpTime = seq(seq(tlv(0x06, Buffer.from([0x2b, 6, 1, 2, 1, 1, 3, 0])), Buffer.from([0x05, 0])));

/** A v2c GetRequest (or, with `tag` 0xa2, a GetResponse) with this request id. */
function v2c(id: number, tag = 0xa0, community = 'public'): Buffer {
  return seq(int(1), tlv(0x04, Buffer.from(community)), tlv(tag, Buffer.concat([int(id), int(0), int(0), sysUpTime])));
}

/** A v3 message header with this msgID (the rest as an agent would send it, unencrypted scoped PDU). */
function v3(msgId: number): Buffer {
  return seq(
    int(3),
    seq(int(msgId), int(65507), tlv(0x04, Buffer.from([0x04])), int(3)),
    tlv(0x04, Buffer.alloc(0)),
    seq(
      tlv(0x04, Buffer.alloc(0)),
      tlv(0x04, Buffer.alloc(0)),
      tlv(0xa0, Buffer.concat([int(msgId), int(0), int(0), sysUpTime])),
    ),
  );
}

/** What net-snmp itself puts on the wire for a v2c GET (captured through `dgramModule`). */
function netSnmpRequest(): Buffer {
  const captured: Buffer[] = [];
  const capture = {
    createSocket: () =>
      Object.assign(new EventEmitter(), {
        unref: () => undefined,
        ref: () => undefined,
        close: () => undefined,
        send: (b: Buffer) => captured.push(Buffer.from(b)),
      }),
  };
  const session = snmp.createSession('127.0.0.1', 'a-long-community-string-'.repeat(8), {
    dgramModule: capture,
    idBitsSize: 32,
  });
  session.get(['1.3.6.1.2.1.1.3.0'], () => undefined);
  session.cancelRequests(new Error('test over'));
  return captured[0];
}

describe('snmpMessageId', () => {
  it('reads the request-id of v1/v2c messages and the msgID of v3 ones, and null from anything else', () => {
    expect(snmpMessageId(v2c(77))).toBe(77);
    expect(snmpMessageId(v2c(99_999_999, 0xa2))).toBe(99_999_999);
    expect(snmpMessageId(v2c(-5))).toBe(-5);
    expect(snmpMessageId(v2c(300, 0xa0, 'x'.repeat(200)))).toBe(300); // long-form lengths
    expect(snmpMessageId(v3(123_456))).toBe(123_456);
    expect(snmpMessageId(Buffer.from('not snmp'))).toBeNull();
    expect(snmpMessageId(Buffer.alloc(0))).toBeNull();
    expect(snmpMessageId(v2c(77).subarray(0, 12))).toBeNull();
  });

  it('reads the id of what net-snmp sends', () => {
    expect(Number.isInteger(snmpMessageId(netSnmpRequest()))).toBe(true);
  });
});

describe('SharedUdpSockets', () => {
  let shared: SharedUdpSockets;
  let a: Awaited<ReturnType<typeof echo>>;
  let b: Awaited<ReturnType<typeof echo>>;

  beforeEach(async () => {
    shared = new SharedUdpSockets();
    a = await echo('a');
    b = await echo('b');
  });
  afterEach(() => {
    shared.closeAll();
    a.close();
    b.close();
  });

  it('offers the reply to a request (and to its retries) to the reader armed for it; what the reader leaves goes to the session', async () => {
    // an agent that answers the second copy of a v2c request (the retry) with a GetResponse of the same id
    const agent = dgram.createSocket('udp4');
    const seen = new Set<number>();
    agent.on('message', (msg, rinfo) => {
      const id = snmpMessageId(msg) as number;
      if (!seen.has(id)) return void seen.add(id);
      agent.send(v2c(id, 0xa2), rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => agent.bind(0, '127.0.0.1', resolve));
    const port = (agent.address() as AddressInfo).port;
    try {
      const v = shared.createSocket('udp4');
      const toSession = received(v);
      const taken: number[] = [];
      v.readNextReply((reply) => {
        taken.push(snmpMessageId(reply) as number);
        return true;
      });
      const send1 = (id: number) =>
        new Promise<void>((resolve, reject) =>
          v.send(v2c(id), 0, v2c(id).length, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
        );
      const request = async (id: number) => {
        await send1(id);
        await send1(id); // the retry, sent without arming, as net-snmp's timer does
      };
      await request(11);
      await until(() => taken.length === 1);
      expect(taken).toEqual([11]);
      expect(toSession).toEqual([]);
      // the next request was not armed: its reply goes to the session as before
      await request(12);
      await until(() => toSession.length === 1);
      // a reader that declines (an error reply, garbage) leaves the reply to the session
      v.readNextReply(() => false);
      await request(13);
      await until(() => toSession.length === 2);
      expect(taken).toEqual([11]);
    } finally {
      agent.close();
    }
  });

  it('sends sessions from a few shared sockets and hands each reply to the session that asked that peer', async () => {
    const toA = shared.createSocket('udp4');
    const toB = shared.createSocket('udp4');
    const gotA = received(toA);
    const gotB = received(toB);
    await send(toA, 'x', a.port);
    await send(toB, 'y', b.port);
    await until(() => gotA.length === 1 && gotB.length === 1);
    expect(gotA).toEqual(['a:x']);
    expect(gotB).toEqual(['b:y']);
    expect(shared.realSockets).toBe(2); // sessions are spread over a few sockets
  });

  it('gives a reply to every session on that peer (each matches its own request ids), and none to a closed one', async () => {
    const first = shared.createSocket('udp4');
    const second = shared.createSocket('udp4');
    const got1 = received(first);
    const got2 = received(second);
    await send(first, '1', a.port);
    await send(second, '2', a.port);
    await until(() => got1.length === 2 && got2.length === 2);

    const closed = new Promise((resolve) => first.once('close', resolve));
    first.close();
    await closed;
    await send(second, '3', a.port);
    await until(() => got2.length === 3);
    expect(got1).toHaveLength(2);
    await expect(send(first, '4', a.port)).rejects.toThrow('Not running');
  });

  it('resolves a DNS name once and takes replies from the address it resolved to', async () => {
    const v = shared.createSocket('udp4');
    const got = received(v);
    await send(v, 'named', a.port, 'localhost');
    await until(() => got.length === 1);
    expect(got).toEqual(['a:named']);
    expect(v.peer).toBe(`127.0.0.1:${a.port}`);
  });

  it('hands a reply to the session whose request id it carries, even from another address (multi-homed agents)', async () => {
    const v = shared.createSocket('udp4');
    const got: Buffer[] = [];
    v.on('message', (msg: Buffer) => got.push(msg));
    // a v2c GET with request-id 4242 goes to a, on 127.0.0.1 …
    const request = v2c(4242);
    await new Promise<void>((resolve, reject) =>
      v.send(request, 0, request.length, a.port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
    );
    await until(() => a.seen.length === 1);
    const sharedPort = Number(a.seen[0].split(':')[1]);
    // … and its answer comes from 127.0.0.2, an address v never sent to
    const other = dgram.createSocket('udp4');
    try {
      await new Promise<void>((resolve) => other.bind(0, '127.0.0.2', resolve));
      const answer = v2c(4242, 0xa2);
      await new Promise<void>((resolve) => other.send(answer, sharedPort, '127.0.0.1', () => resolve()));
      await until(() => got.some((m) => m.equals(answer)));
    } finally {
      other.close();
    }
  });

  it('refuses to bind a session to its own source port', () => {
    expect(() => shared.createSocket('udp4').bind()).toThrow(/cannot bind/);
  });
});
