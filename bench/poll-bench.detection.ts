import { loadConfig } from '@netdesk/config';
/**
 * Detection latency of the polling benchmark, against real hosts of the network lab (root needed):
 * a PollEngine (30 s interval, production defaults: 3 failures to confirm, 1 s recheck spacing) and a
 * TrapReceiver wired to engine.pollNow, as in PollerService.
 * - link cut: `cutLink(edge, silent)` at a random point of the interval → `down` committed;
 * - interface: `loseCarrier(router, uplink0)` (alias "uplink") → linkDown trap → interface_status committed.
 * The lab is destroyed in every case (finally, and the lab's own exit/signal hooks).
 */
import { randomInt } from 'node:crypto';
import { DEFAULT_FLAP_THRESHOLDS, DEFAULT_STATE_MACHINE_CONFIG, pollOffsetMs } from '../libs/monitoring/src/domain';
import { PollEngine } from '../libs/monitoring/src/polling/poll-engine';
import type { MonitoredDevice, MonitoringChange } from '../libs/monitoring/src/polling/poll-engine.types';
import { FpingProber, SnmpClient, TrapReceiver } from '../libs/monitoring/src/probes';
import { NetworkLab } from '../test/lab/network-lab';

export interface DetectionSpec {
  intervalSec: number;
  cutRepetitions: number;
  trapRepetitions: number;
}

export interface DetectionRun {
  latencyMs: number;
  /** For cuts: where in the device's interval the cut fell; for traps: when the trap arrived. */
  detail: string;
}

export interface DetectionResult {
  linkCut: DetectionRun[];
  interfaceTrap: DetectionRun[];
  labSetupMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runDetection(spec: DetectionSpec, log: (msg: string) => void): Promise<DetectionResult> {
  await NetworkLab.assertSupported();
  const lab = await NetworkLab.create({
    hosts: [
      { name: 'router', snmp: { community: 'ro' }, interfaces: [{ name: 'uplink0', alias: 'uplink' }] },
      { name: 'edge', snmp: { community: 'ro' } },
    ],
    trapSink: {},
  });
  // The product's defaults (NETDESK_SNMP_*, NETDESK_PING_*), so the numbers are what an operator gets.
  const { polling } = loadConfig({});
  const snmp = new SnmpClient(polling.snmp);
  let engine: PollEngine | undefined;
  let traps: TrapReceiver | undefined;
  try {
    const waiters = new Set<{ match: (c: MonitoringChange) => boolean; resolve: (at: number) => void }>();
    const waitFor = (match: (c: MonitoringChange) => boolean, timeoutMs: number, what: string) =>
      new Promise<number>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (at: number) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(at);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    engine = new PollEngine({
      icmp: new FpingProber(polling.ping),
      snmp,
      clock: { now: () => new Date() },
      sink: {
        commit: async (changes) => {
          const at = performance.now();
          for (const c of changes) for (const w of [...waiters]) if (w.match(c)) w.resolve(at);
        },
        observe: () => undefined,
      },
      config: {
        stateMachine: { ...DEFAULT_STATE_MACHINE_CONFIG, maxLossPct: 50, maxRttMs: 500 },
        flap: DEFAULT_FLAP_THRESHOLDS,
        recheckSpacingMs: 1000,
      },
    });
    const byAddress = new Map<string, string>();
    const device = (name: string): MonitoredDevice => {
      const host = lab.host(name);
      byAddress.set(host.address, name);
      return {
        id: name,
        name,
        host: host.address,
        pollIntervalSec: spec.intervalSec,
        parentId: null,
        snmp: { version: '2c', community: 'ro' },
        status: 'unknown',
        statusSince: new Date(),
        statusReason: null,
        flapping: false,
        interfaceSelection: { include: [], exclude: [] },
      };
    };
    const sink = lab.trapSink!;
    let lastTrapAt = 0;
    traps = new TrapReceiver({
      port: sink.port,
      address: sink.address,
      onTrap: (t) => {
        const id = byAddress.get(t.source);
        if (!id) return;
        if (t.kind === 'linkDown' || t.kind === 'linkUp') lastTrapAt = performance.now();
        engine?.pollNow(id);
      },
    });
    await traps.start();
    const bothUp = Promise.all([
      waitFor((c) => c.kind === 'device_status' && c.deviceId === 'router' && c.to === 'up', 20_000, 'router up'),
      waitFor((c) => c.kind === 'device_status' && c.deviceId === 'edge' && c.to === 'up', 20_000, 'edge up'),
    ]);
    engine.upsert(device('router'));
    engine.upsert(device('edge'));
    engine.start();
    await bothUp;
    log(`lab ready in ${Math.round(lab.timings.createMs)} ms; router and edge up`);

    const intervalMs = spec.intervalSec * 1000;
    const linkCut: DetectionRun[] = [];
    for (let i = 0; i < spec.cutRepetitions; i++) {
      await sleep(randomInt(0, intervalMs));
      const down = waitFor(
        (c) => c.kind === 'device_status' && c.deviceId === 'edge' && c.to === 'down',
        intervalMs + 60_000,
        'edge down',
      );
      const cutAt = performance.now();
      // where the cut falls in the device's interval: its slots are at its offset plus whole intervals
      const sinceSlot =
        (((Date.now() - pollOffsetMs('edge', spec.intervalSec)) % intervalMs) + intervalMs) % intervalMs;
      await lab.cutLink('edge', { mode: 'silent' });
      const latencyMs = (await down) - cutAt;
      linkCut.push({ latencyMs, detail: `cut ${(sinceSlot / 1000).toFixed(1)} s after a slot` });
      log(`link cut ${i + 1}/${spec.cutRepetitions}: down after ${(latencyMs / 1000).toFixed(1)} s`);
      const up = waitFor(
        (c) => c.kind === 'device_status' && c.deviceId === 'edge' && c.to === 'up',
        30_000,
        'edge up again',
      );
      await lab.restoreLink('edge');
      engine.pollNow('edge'); // recovery is not measured: look at once instead of at the next slot
      await up;
    }

    const uplink = await lab.host('router').ifIndexOf('uplink0');
    const interfaceTrap: DetectionRun[] = [];
    for (let i = 0; i < spec.trapRepetitions; i++) {
      await sleep(randomInt(500, 3000));
      const changed = waitFor(
        (c) => c.kind === 'interface_status' && c.deviceId === 'router' && c.ifIndex === uplink && c.to !== 'up',
        15_000,
        'uplink down',
      );
      const t0 = performance.now();
      await lab.loseCarrier('router', 'uplink0');
      const latencyMs = (await changed) - t0;
      interfaceTrap.push({
        latencyMs,
        detail: lastTrapAt > t0 ? `trap after ${((lastTrapAt - t0) / 1000).toFixed(2)} s` : 'found by a poll, no trap',
      });
      log(`interface down ${i + 1}/${spec.trapRepetitions}: committed after ${(latencyMs / 1000).toFixed(2)} s`);
      const back = waitFor(
        (c) => c.kind === 'interface_status' && c.deviceId === 'router' && c.ifIndex === uplink && c.to === 'up',
        15_000,
        'uplink up again',
      );
      await lab.restoreCarrier('router', 'uplink0');
      await back;
    }
    return { linkCut, interfaceTrap, labSetupMs: Math.round(lab.timings.createMs) };
  } finally {
    await traps?.stop().catch(() => undefined);
    await engine?.stop().catch(() => undefined);
    snmp.closeAll();
    await lab.destroy();
  }
}
