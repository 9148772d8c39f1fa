import { failedPingResult, isProbeableHost, summarizePingSamples } from './ping-result';

describe('summarizePingSamples', () => {
  it('computes loss, mean, min, max and jitter over the replies that arrived', () => {
    const r = summarizePingSamples('h', [1, null, 3, 2]);
    expect(r).toMatchObject({
      host: 'h',
      sent: 4,
      received: 3,
      lossPct: 25,
      rttsMs: [1, 3, 2],
      rttMs: 2,
      minMs: 1,
      maxMs: 3,
    });
    // |3-1| + |2-3| over 2 gaps
    expect(r.jitterMs).toBe(1.5);
  });

  it('reports total loss with null statistics', () => {
    expect(summarizePingSamples('h', [null, null, null])).toMatchObject({
      sent: 3,
      received: 0,
      lossPct: 100,
      rttsMs: [],
      rttMs: null,
      minMs: null,
      maxMs: null,
      jitterMs: null,
    });
  });

  it('has no jitter with a single reply', () => {
    expect(summarizePingSamples('h', [0.5, null]).jitterMs).toBeNull();
  });

  it('rounds loss to two decimals', () => {
    expect(summarizePingSamples('h', [1, 1, null]).lossPct).toBe(33.33);
  });

  it('marks unprobeable hosts as failed with 100% loss', () => {
    expect(failedPingResult('x', 'invalid host')).toMatchObject({ sent: 0, lossPct: 100, error: 'invalid host' });
  });
});

describe('isProbeableHost', () => {
  it.each(['127.0.0.1', '::1', 'fe80::1%eth0', 'core-sw1.example.net'])('accepts %s', (h) =>
    expect(isProbeableHost(h)).toBe(true),
  );
  it.each(['', '-f', 'a b', '#x', 'x\ny', '$(reboot)'])('rejects %j', (h) => expect(isProbeableHost(h)).toBe(false));
});
