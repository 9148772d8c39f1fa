import { parseInventoryFile } from './inventory-file.parser';

describe('parseInventoryFile', () => {
  it('reads YAML sites and devices with the line each entry starts on', () => {
    const parsed = parseInventoryFile(
      [
        'sites:',
        '  - name: HQ',
        '    location: Main st',
        'devices:',
        '  - name: r1',
        '    host: 192.0.2.1',
        '  - name: s1',
        '    host: s1.lan',
        '    parent: r1',
      ].join('\n'),
      'yaml',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.sites).toEqual([{ line: 2, values: { name: 'HQ', location: 'Main st' } }]);
    expect(parsed.devices.map((d) => d.line)).toEqual([5, 7]);
    expect(parsed.devices[1].values).toEqual({ name: 's1', host: 's1.lan', parent: 'r1' });
  });

  it.each([
    ['devices: [a, b]', 1, /must be a mapping/],
    ['devices:\n  - name: x\n    name: y', 3, /YAML/],
    ['routers:\n  - name: x', 1, /unknown section "routers"/],
    ['- just\n- a list', 1, /must be a mapping with/],
    ['devices:\n  - name: "unclosed\n', 3, /YAML/], // the parser reports an unclosed quote where the input ends
  ])('reports a structural problem in %j at line %i', (content, line, message) => {
    const { problems } = parseInventoryFile(content, 'yaml');
    expect(problems[0].line).toBe(line);
    expect(problems[0].message).toMatch(message);
  });

  it('reads CSV rows with snmp columns, numbers and tags', () => {
    const parsed = parseInventoryFile(
      'name,host,site,parent,snmpVersion,snmpCommunity,snmpPort,pollIntervalSec,tags\n' +
        'r1,192.0.2.1,HQ,,2c,public,1161,10,core;wan\n',
      'csv',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.devices).toEqual([
      {
        line: 2,
        values: {
          name: 'r1',
          host: '192.0.2.1',
          site: 'HQ',
          snmp: { version: '2c', community: 'public', port: 1161 },
          pollIntervalSec: 10,
          tags: ['core', 'wan'],
        },
      },
    ]);
  });

  it('rejects unknown CSV columns and ragged rows', () => {
    expect(parseInventoryFile('name,host,colour\nr1,h,red', 'csv').problems[0]).toMatchObject({
      line: 1,
      message: 'unknown column "colour"',
    });
    expect(parseInventoryFile('name,host\nr1,h,extra', 'csv').problems[0].message).toMatch(/CSV/);
  });
});
