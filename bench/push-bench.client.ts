/**
 * A child process of `push.bench`: opens its share of the socket.io clients and records, for every
 * `device.status` it receives, the time since the server published it (the change's `at`).
 */
import { io, Socket } from 'socket.io-client';

export const HIST_MS = 10_000;

export type Mode = 'events' | 'batch';
export type ToChild =
  { type: 'connect'; url: string; token: string; count: number; mode: Mode } | { type: 'reset' } | { type: 'report' };
export type FromChild =
  | { type: 'ready'; connectMs: number }
  | { type: 'report'; hist: number[]; received: number; frames: number; cpuUs: number; disconnects: number }
  | { type: 'error'; message: string };

function clientMain(): void {
  const sockets: Socket[] = [];
  const hist = new Array<number>(HIST_MS + 1).fill(0);
  let received = 0;
  let frames = 0;
  let disconnects = 0;
  let cpuStart = process.cpuUsage();
  const record = (at: string) => {
    const ms = Math.max(0, Math.round(Date.now() - Date.parse(at)));
    hist[Math.min(ms, HIST_MS)] += 1;
    received += 1;
  };
  const reset = () => {
    hist.fill(0);
    received = frames = 0;
    cpuStart = process.cpuUsage();
  };
  const send = (m: FromChild) => process.send!(m);
  const open = (url: string, token: string, mode: Mode) => {
    const s = io(`${url}/live`, {
      auth: { token, ...(mode === 'batch' && { batch: true }) },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(s);
    s.on('device.status', (e: { at: string }) => {
      frames += 1;
      record(e.at);
    });
    s.on('batch', (list: { event: string; data: { at: string } }[]) => {
      frames += 1;
      for (const f of list) if (f.event === 'device.status') record(f.data.at);
    });
    s.on('disconnect', () => (disconnects += 1));
    return new Promise<void>((resolve, reject) => {
      s.once('snapshot', () => resolve());
      s.once('connect_error', reject);
    });
  };
  process.on('message', async (m: ToChild) => {
    if (m.type === 'connect') {
      const started = Date.now();
      try {
        for (let i = 0; i < m.count; i += 50) {
          await Promise.all(Array.from({ length: Math.min(50, m.count - i) }, () => open(m.url, m.token, m.mode)));
        }
        reset();
        send({ type: 'ready', connectMs: Date.now() - started });
      } catch (e) {
        send({ type: 'error', message: (e as Error).message });
      }
    } else if (m.type === 'reset') {
      reset();
    } else {
      const cpu = process.cpuUsage(cpuStart);
      send({ type: 'report', hist, received, frames, cpuUs: cpu.user + cpu.system, disconnects });
      for (const s of sockets) s.close();
      setTimeout(() => process.exit(0), 200);
    }
  });
}

if (require.main === module) clientMain();
