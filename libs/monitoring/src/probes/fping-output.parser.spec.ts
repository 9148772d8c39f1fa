import { parseFpingOutput, parseSummaryLine } from './fping-output.parser';

// Recorded from fping 5.1 (`fping -C 3 -q ...`, stderr) plus lines older fping versions and
// non-quiet runs print: unresolvable names, duplicates, ICMP errors, fatal errors.
const SAMPLE = [
  '127.0.0.1  : 0.047 0.038 0.050',
  '127.0.0.2  : 0.073 - 0.013',
  '::1        : 0.058 0.032 0.032',
  'fe80::1%lo : - - -',
  '10.9.9.9   : - - -',
  'no-such-host.invalid: Name or service not known',
  '127.0.0.1 : duplicate for [0], 64 bytes, 0.101 ms',
  '127.0.0.3 : duplicate for [1], 64 bytes, 0.1 ms [<- 127.0.0.9]',
  'ICMP Host Unreachable from 192.0.2.1 for ICMP Echo sent to 192.0.2.55',
  'fping error: not enough sequence numbers available! (expire_timeout=10000000000, host_nr=15535, ping_count=1, seqmap_next_id=0)',
  'router.example : 123 1045 2.5',
  '',
].join('\n');

describe('parseFpingOutput', () => {
  const parsed = parseFpingOutput(SAMPLE, 3);

  it('reads per-host samples with lost echoes as null', () => {
    expect(parsed.samples.get('127.0.0.1')).toEqual([0.047, 0.038, 0.05]);
    expect(parsed.samples.get('127.0.0.2')).toEqual([0.073, null, 0.013]);
    expect(parsed.samples.get('router.example')).toEqual([123, 1045, 2.5]);
  });

  it('handles IPv6 hosts, including zone ids, despite the colons', () => {
    expect(parsed.samples.get('::1')).toEqual([0.058, 0.032, 0.032]);
    expect(parsed.samples.get('fe80::1%lo')).toEqual([null, null, null]);
  });

  it('ignores resolution errors, duplicates, ICMP errors and fatal errors instead of mistaking them for results', () => {
    expect(parsed.samples.size).toBe(6);
    expect(parsed.samples.has('127.0.0.3')).toBe(false);
    expect(parsed.ignored).toHaveLength(5);
    expect(parsed.ignored[0]).toContain('Name or service not known');
  });

  it('keeps the first reading when a duplicate line follows the summary', () => {
    expect(parsed.samples.get('127.0.0.1')?.[0]).toBe(0.047);
  });

  it('rejects summary lines whose sample count does not match -C', () => {
    expect(parseSummaryLine('127.0.0.1 : 0.1 0.2', 3)).toBeNull();
    expect(parseSummaryLine('127.0.0.1 : 0.1 0.2')).toEqual({ host: '127.0.0.1', samples: [0.1, 0.2] });
    expect(parseSummaryLine('127.0.0.1 : 0.1 abc 0.2')).toBeNull();
  });
});
