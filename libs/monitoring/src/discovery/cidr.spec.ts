import {
  assertDiscoverable,
  CidrError,
  formatIpv4,
  hostAddresses,
  netmaskToPrefix,
  parseCidr,
  parseIpv4,
} from './cidr';

describe('parseCidr', () => {
  it('parses and normalises a network, clearing host bits', () => {
    expect(parseCidr('192.0.2.0/24')).toEqual({
      cidr: '192.0.2.0/24',
      network: parseIpv4('192.0.2.0'),
      prefix: 24,
      size: 256,
    });
    expect(parseCidr('10.1.2.3/16').cidr).toBe('10.1.0.0/16');
    expect(parseCidr(' 198.18.4.77/22 ').cidr).toBe('198.18.4.0/22');
    expect(parseCidr('0.0.0.0/0').size).toBe(2 ** 32);
    expect(parseCidr('203.0.113.9/32')).toMatchObject({ cidr: '203.0.113.9/32', size: 1 });
  });

  it.each([
    '',
    '192.0.2.0',
    '192.0.2.0/',
    '/24',
    '192.0.2/24',
    '192.0.2.0.1/24',
    '256.0.0.0/8',
    '192.0.2.00/24',
    '010.0.0.0/8',
    '192.0.2.0/33',
    '192.0.2.0/024',
    '192.0.2.0/-1',
    '192.0.2.0/24/8',
    '2001:db8::/64',
    'example.net/24',
    '192.0.2.0 /24',
  ])('rejects %j', (text) => {
    expect(() => parseCidr(text)).toThrow(CidrError);
  });
});

describe('assertDiscoverable', () => {
  it('allows a /16 and anything smaller', () => {
    for (const c of ['10.0.0.0/16', '10.0.0.0/22', '10.0.0.1/32'])
      expect(() => assertDiscoverable(parseCidr(c))).not.toThrow();
  });

  it('rejects ranges larger than a /16, naming the size', () => {
    expect(() => assertDiscoverable(parseCidr('198.18.0.0/15'))).toThrow(
      /198\.18\.0\.0\/15 has 131,072 addresses.*\/16/,
    );
    expect(() => assertDiscoverable(parseCidr('0.0.0.0/0'))).toThrow(CidrError);
  });
});

describe('hostAddresses', () => {
  it('leaves out the network and broadcast addresses', () => {
    const hosts = hostAddresses(parseCidr('192.0.2.0/24'));
    expect(hosts).toHaveLength(254);
    expect(hosts[0]).toBe('192.0.2.1');
    expect(hosts[253]).toBe('192.0.2.254');
    expect(hostAddresses(parseCidr('198.18.4.0/22'))).toHaveLength(1022);
    expect(hostAddresses(parseCidr('10.0.0.0/16'))).toHaveLength(65534);
    expect(hostAddresses(parseCidr('198.18.4.4/30'))).toEqual(['198.18.4.5', '198.18.4.6']);
  });

  it('treats every address of a /31 and a /32 as a host', () => {
    expect(hostAddresses(parseCidr('192.0.2.6/31'))).toEqual(['192.0.2.6', '192.0.2.7']);
    expect(hostAddresses(parseCidr('127.0.0.1/32'))).toEqual(['127.0.0.1']);
  });
});

describe('netmaskToPrefix / formatIpv4', () => {
  it.each([
    ['255.255.255.0', 24],
    ['255.255.0.0', 16],
    ['255.255.252.0', 22],
    ['255.255.255.255', 32],
    ['0.0.0.0', 0],
    ['255.0.255.0', null],
    ['255.255.255', null],
    ['', null],
  ])('%j → %j', (mask, prefix) => {
    expect(netmaskToPrefix(mask)).toBe(prefix);
  });

  it('round-trips addresses', () => {
    for (const a of ['0.0.0.0', '255.255.255.255', '198.18.4.6']) expect(formatIpv4(parseIpv4(a) as number)).toBe(a);
  });
});
