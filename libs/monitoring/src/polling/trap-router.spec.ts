import type { ProbeLogger } from '../probes';
import { HostResolver, TrapRouter } from './trap-router';

/** A resolver whose answers the test releases by hand, in any order. */
class ManualResolver {
  readonly asked: string[] = [];
  private readonly waiting = new Map<string, { resolve: (a: string[]) => void; reject: (e: Error) => void }[]>();
  readonly resolve: HostResolver = (host) =>
    new Promise((resolve, reject) => {
      this.asked.push(host);
      this.waiting.set(host, [...(this.waiting.get(host) ?? []), { resolve, reject }]);
    });
  answer(host: string, addresses: string[]): void {
    this.waiting.get(host)!.shift()!.resolve(addresses);
  }
  fail(host: string, message: string): void {
    this.waiting.get(host)!.shift()!.reject(new Error(message));
  }
}

function logger(): ProbeLogger & { warnings: { obj: object; msg: string }[] } {
  const warnings: { obj: object; msg: string }[] = [];
  return { warnings, warn: (obj, msg) => warnings.push({ obj, msg }), info: () => undefined, debug: () => undefined };
}

describe('TrapRouter', () => {
  it('routes a trap from a device known by address at once, without a lookup', async () => {
    const dns = new ManualResolver();
    const router = new TrapRouter(logger(), dns.resolve);
    await router.index('dev-1', '10.0.0.1');
    expect(router.deviceFor('10.0.0.1')).toBe('dev-1');
    expect(router.deviceFor('10.0.0.2')).toBeUndefined();
    expect(dns.asked).toEqual([]);
  });

  it('routes traps from every address a device name resolves to, once resolved', async () => {
    const dns = new ManualResolver();
    const router = new TrapRouter(logger(), dns.resolve);
    const indexed = router.index('dev-1', 'core.lab');
    dns.answer('core.lab', ['10.0.0.1', 'fd00::1']);
    await indexed;
    expect(router.deviceFor('10.0.0.1')).toBe('dev-1');
    expect(router.deviceFor('fd00::1')).toBe('dev-1');
  });

  it('logs a name that does not resolve, and drops the addresses the device had', async () => {
    const log = logger();
    const dns = new ManualResolver();
    const router = new TrapRouter(log, dns.resolve);
    await router.index('dev-1', '10.0.0.1');
    const indexed = router.index('dev-1', 'gone.lab');
    dns.fail('gone.lab', 'getaddrinfo ENOTFOUND gone.lab');
    await expect(indexed).resolves.toBeUndefined();
    expect(router.deviceFor('10.0.0.1')).toBeUndefined();
    expect(log.warnings).toEqual([
      expect.objectContaining({ obj: expect.objectContaining({ deviceId: 'dev-1', host: 'gone.lab' }) }),
    ]);
  });

  it('keeps the newest host when an older lookup answers last', async () => {
    const dns = new ManualResolver();
    const router = new TrapRouter(logger(), dns.resolve);
    const old = router.index('dev-1', 'old.lab');
    const current = router.index('dev-1', 'new.lab');
    dns.answer('new.lab', ['10.0.0.2']);
    await current;
    dns.answer('old.lab', ['10.0.0.1']);
    await old;
    expect(router.deviceFor('10.0.0.2')).toBe('dev-1');
    expect(router.deviceFor('10.0.0.1')).toBeUndefined();
  });

  it('forgets a removed device, even when its lookup answers afterwards', async () => {
    const dns = new ManualResolver();
    const router = new TrapRouter(logger(), dns.resolve);
    await router.index('dev-1', '10.0.0.1');
    const pending = router.index('dev-2', 'edge.lab');
    router.forget('dev-1');
    router.forget('dev-2');
    dns.answer('edge.lab', ['10.0.0.3']);
    await pending;
    expect(router.deviceFor('10.0.0.1')).toBeUndefined();
    expect(router.deviceFor('10.0.0.3')).toBeUndefined();
  });

  it('leaves another device on the same address in place when one moves away', async () => {
    const router = new TrapRouter(logger(), new ManualResolver().resolve);
    await router.index('dev-1', '10.0.0.1');
    await router.index('dev-2', '10.0.0.9');
    await router.index('dev-1', '10.0.0.5');
    expect(router.deviceFor('10.0.0.9')).toBe('dev-2');
    expect(router.deviceFor('10.0.0.5')).toBe('dev-1');
    expect(router.deviceFor('10.0.0.1')).toBeUndefined();
  });

  it('resolves real names through the system resolver by default', async () => {
    const router = new TrapRouter(logger());
    await router.index('dev-1', 'localhost');
    expect(router.deviceFor('127.0.0.1') ?? router.deviceFor('::1')).toBe('dev-1');
  });
});
