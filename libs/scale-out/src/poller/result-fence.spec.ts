import { fenceVerdict, LeaseView } from './result-fence';

const TTL = 10_000;
/** A lease in term 2, epoch 41, last renewed (sent) at t = 5,000 ms. */
const lease = (over: Partial<LeaseView> = {}): LeaseView => ({
  term: 2,
  epoch: 41,
  validUntil: 5_000 + TTL,
  unreachableAt: 0,
  ...over,
});

describe('fenceVerdict', () => {
  it('sends a result probed in the current term while the lease surely holds', () => {
    expect(fenceVerdict(2, lease(), 6_000)).toBe('send');
    expect(fenceVerdict(2, lease(), 14_999)).toBe('send');
  });

  it('drops a result whose probe began in an ended term, even though the lease now holds under a newer epoch', () => {
    // the SIGSTOP race: the probe began in term 1, the poller woke, lost its lease and took epoch 41 in term 2
    expect(fenceVerdict(1, lease(), 6_000)).toBe('drop');
    expect(fenceVerdict(1, lease({ validUntil: 1e9 }), 6_000)).toBe('drop');
  });

  it('drops everything while no lease was taken', () => {
    expect(fenceVerdict(1, undefined, 0)).toBe('drop');
    expect(fenceVerdict(2, lease({ epoch: 0 }), 6_000)).toBe('drop');
  });

  it('asks the store first once the monotonic clock passed the lease (a pause the poller slept through)', () => {
    expect(fenceVerdict(2, lease(), 15_000)).toBe('confirm');
    expect(fenceVerdict(2, lease(), 60_000)).toBe('confirm');
    // a renewal that failed before the lease ran out says nothing of the time after it
    expect(fenceVerdict(2, lease({ unreachableAt: 12_000 }), 60_000)).toBe('confirm');
    // the renewal was refused (lost): nothing holds until the lease is taken again
    expect(fenceVerdict(2, lease({ validUntil: 0, unreachableAt: 0 }), 60_000)).toBe('confirm');
  });

  it('keeps sending under its epoch when awake but cut off from the store (the core fences what is stale)', () => {
    expect(fenceVerdict(2, lease({ unreachableAt: 16_000 }), 60_000)).toBe('send');
  });
});
