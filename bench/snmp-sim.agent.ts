/**
 * One simulated-agent process for the polling benchmark (forked by poll.bench): a UDP socket on
 * 0.0.0.0:<port> that answers SNMPv2c for every 127.x.y.z the poller sends to, so each simulated
 * device has its own loopback address. Only loopback senders are answered. Reports its CPU over IPC
 * and exits when its parent goes away.
 *
 *   node dist/bench/snmp-sim.agent.js <port, 0 = any free> [interfaces=8] [maxMessageSize=1472]
 */
import { createSocket } from 'node:dgram';
import { SnmpSimResponder } from './snmp-sim.responder';

export interface AgentStats {
  port: number;
  pid: number;
  cpuUserUs: number;
  cpuSystemUs: number;
  rss: number;
  requests: number;
  cacheHits: number;
  dropped: number;
}

function main(): void {
  const port = Number(process.argv[2]);
  const interfaces = Number(process.argv[3] ?? 8);
  const maxMessageSize = Number(process.argv[4] ?? 1472);
  if (!Number.isInteger(port) || (port !== 0 && port < 1024) || port > 65535)
    throw new Error(`bad port ${process.argv[2]}`);
  const responder = new SnmpSimResponder({
    interfaces,
    hostResources: true,
    maxMessageSize,
    startedAtMs: Date.now(),
  });
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (!rinfo.address.startsWith('127.')) return; // loopback only, whatever reaches the socket
    const reply = responder.handle(msg, Date.now());
    if (reply) socket.send(reply, rinfo.port, rinfo.address);
  });
  socket.on('error', (err) => {
    process.send?.({ type: 'error', message: err.message });
    process.exit(1);
  });
  socket.bind(port, '0.0.0.0', () => {
    socket.setRecvBufferSize(8 * 1024 * 1024);
    socket.setSendBufferSize(8 * 1024 * 1024);
    process.send?.({ type: 'ready', port: socket.address().port });
  });
  process.on('message', (m: { type?: string }) => {
    if (m?.type !== 'stats') return;
    const cpu = process.cpuUsage();
    const stats: AgentStats = {
      port: socket.address().port,
      pid: process.pid,
      cpuUserUs: cpu.user,
      cpuSystemUs: cpu.system,
      rss: process.memoryUsage().rss,
      ...responder.counters,
    };
    process.send?.({ type: 'stats', stats });
  });
  process.on('disconnect', () => process.exit(0));
}

main();
