import { runDetection } from '../../bench/poll-bench.detection';

/**
 * Outage detection with SNMP devices in the network lab (root needed): the real PollEngine, FpingProber
 * and SnmpClient with the product's defaults, a real snmpd on each host. The edge switch's link is cut
 * silently at a random point of its 5 s interval, ten times: each time `down` must be stored within the
 * interval plus 4 s (the first failed poll and two quick re-probes), never later.
 * The measuring code is the lab detection bench's (`bench/poll-bench.detection.ts`), so both agree.
 */
describe('outage detection in seconds (network lab, SNMP devices)', () => {
  const intervalSec = 5;

  it('stores down within interval + 4 s of a silent link cut, in each of 10 cuts', async () => {
    const logs: string[] = [];
    const result = await runDetection({ intervalSec, cutRepetitions: 10, trapRepetitions: 0 }, (m) => logs.push(m));
    const latencies = result.linkCut.map((r) => Math.round(r.latencyMs));
    expect(latencies).toHaveLength(10);
    const late = result.linkCut.filter((r) => r.latencyMs > (intervalSec + 4) * 1000);
    expect(late.map((r) => `${(r.latencyMs / 1000).toFixed(1)} s (${r.detail})`)).toEqual([]);
  }, 240_000);
});
