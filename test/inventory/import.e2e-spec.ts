import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

describe('inventory import', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp('import');
    admin = `Bearer ${await t.tokenFor('admin')}`;
  });
  afterAll(() => t.close());

  const importFile = (body: string, type = 'application/yaml') =>
    t.http.post('/api/devices/import').set('Authorization', admin).set('Content-Type', type).send(body);
  const deviceCount = async () =>
    (await t.http.get('/api/devices').set('Authorization', admin).expect(200)).body.length as number;
  const byName = async (name: string) =>
    (await t.http.get('/api/devices').set('Authorization', admin)).body.find((d: { name: string }) => d.name === name);

  it('imports the example inventory: sites, devices, parents by name, secrets sealed', async () => {
    const yaml = fs.readFileSync(path.join(ROOT, 'config/inventory.example.yaml'), 'utf8');
    const res = await importFile(yaml).expect(200);
    expect(res.body).toEqual({ sitesCreated: ['HQ', 'Branch-North'], devicesCreated: 4, devicesUpdated: 0 });
    const router = await byName('hq-wan-router');
    const core = await byName('hq-core-switch');
    const ap = await byName('hq-ap-lobby');
    expect(core.parentId).toBe(router.id);
    expect(ap.parentId).toBe(core.id);
    expect(router).toMatchObject({
      kind: 'router',
      criticality: 'critical',
      pollIntervalSec: 15,
      tags: ['wan', 'core'],
      snmp: { version: '2c', port: 161, configured: true },
    });
    expect(core.snmp).toEqual({ version: '3', port: 161, configured: true });
    expect(ap.host).toBe('ap-lobby.hq.example.net');

    const again = await importFile(yaml).expect(200);
    expect(again.body).toEqual({ sitesCreated: [], devicesCreated: 0, devicesUpdated: 4 });
  });

  it('updates known devices by name and keeps fields the file leaves out', async () => {
    const name = unique('upd');
    await importFile(
      `devices:\n  - name: ${name}\n    host: ${name}.lan\n    criticality: high\n    snmp: {version: 2c, community: keep-me}\n`,
    ).expect(200);
    const res = await importFile(`devices:\n  - name: ${name}\n    host: ${name}.lan\n    kind: firewall\n`).expect(
      200,
    );
    expect(res.body.devicesUpdated).toBe(1);
    expect(await byName(name)).toMatchObject({
      kind: 'firewall',
      criticality: 'high',
      snmp: { version: '2c', configured: true },
    });
  });

  it('imports CSV', async () => {
    const [a, b] = [unique('csv'), unique('csv')];
    const csv = `name,host,site,parent,kind,tags,snmpVersion,snmpCommunity\n${a},${a}.lan,CSV-site,,router,wan;edge,2c,pub\n${b},${b}.lan,CSV-site,${a},switch,,,\n`;
    const res = await importFile(csv, 'text/csv').expect(200);
    expect(res.body.devicesCreated).toBe(2);
    const child = await byName(b);
    expect(child.parentId).toBe((await byName(a)).id);
    expect((await byName(a)).tags).toEqual(['wan', 'edge']);
  });

  it('reports every bad row with its line and imports nothing', async () => {
    const before = await deviceCount();
    const good = unique('good');
    const yaml = [
      'devices:',
      `  - name: ${good}`, // 2: fine on its own
      `    host: ${good}.lan`,
      '  - name: bad-host', // 4
      '    host: "not a host!"',
      '  - name: bad-kind', // 6
      '    host: 192.0.2.50',
      '    kind: toaster',
      '    pollIntervalSec: 0',
      `  - name: ${good}`, // 10: duplicate name
      '    host: 192.0.2.51',
      '  - name: orphan', // 12
      '    host: 192.0.2.52',
      '    parent: no-such-device',
      '  - name: snmpbad', // 15
      '    host: 192.0.2.53',
      '    snmp: {version: "3", community: x}',
    ].join('\n');
    const res = await importFile(yaml).expect(400);
    const lines = res.body.errors.map((e: { line: number }) => e.line);
    expect(new Set(lines)).toEqual(new Set([4, 6, 10, 15]));
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^line 4: host/),
        expect.stringMatching(/^line 6: .*kind/),
        expect.stringMatching(/^line 6: .*pollIntervalSec/),
        expect.stringMatching(/^line 10: duplicate device name/),
      ]),
    );
    expect(await deviceCount()).toBe(before);
    expect(await byName(good)).toBeUndefined();
  });

  it('rejects references that resolve to nothing, and a cycle through the file', async () => {
    const before = await deviceCount();
    const [a, b] = [unique('cy'), unique('cy')];
    const orphan = await importFile(`devices:\n  - name: ${a}\n    host: ${a}.lan\n    parent: nowhere\n`).expect(400);
    expect(orphan.body.message[0]).toMatch(/^line 2: parent "nowhere"/);
    const cycle = await importFile(
      `devices:\n  - name: ${a}\n    host: ${a}.lan\n    parent: ${b}\n  - name: ${b}\n    host: ${b}.lan\n    parent: ${a}\n`,
    ).expect(400);
    expect(cycle.body.message.join(' ')).toMatch(/cycle/);
    expect(await deviceCount()).toBe(before);
  });

  it('rejects a host that belongs to another device, keeping that device untouched', async () => {
    const owner = unique('own');
    await importFile(`devices:\n  - name: ${owner}\n    host: ${owner}.lan\n`).expect(200);
    const res = await importFile(`devices:\n  - name: ${unique('thief')}\n    host: ${owner}.lan\n`).expect(400);
    expect(res.body.message[0]).toMatch(/already belongs to device/);
  });

  it.each([
    ['malformed YAML', 'devices:\n  - name: "x\n', 'application/yaml', /line \d+: YAML/],
    ['a list at the top', '- a\n- b\n', 'application/yaml', /must be a mapping/],
    ['an unknown section', 'routers: []\n', 'application/yaml', /unknown section/],
    ['an unknown CSV column', 'name,host,colour\nx,y.lan,red\n', 'text/csv', /unknown column "colour"/],
    ['a ragged CSV row', 'name,host\nx,y.lan,z\n', 'text/csv', /CSV/],
  ])('reports %s with a line number', async (_label, body, type, message) => {
    const res = await importFile(body, type).expect(400);
    expect(res.body.message[0]).toMatch(message);
  });

  it('refuses a body that is not YAML or CSV, and non-admins', async () => {
    await t.http.post('/api/devices/import').set('Authorization', admin).send({ devices: [] }).expect(400);
    await t.http
      .post('/api/devices/import')
      .set('Authorization', `Bearer ${await t.tokenFor('manager')}`)
      .set('Content-Type', 'application/yaml')
      .send('devices: []')
      .expect(403);
  });

  describe('npm run import', () => {
    const cli = (file: string) =>
      run(process.execPath, [path.join(ROOT, 'dist/scripts/import-inventory.js'), file], {
        env: { ...process.env, DATABASE_URL: t.databaseUrl, NETDESK_DATA_DIR: t.dataDir },
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );

    it('imports a file and reports bad rows with exit code 1', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nd-import-'));
      const name = unique('cli');
      fs.writeFileSync(path.join(dir, 'ok.yaml'), `devices:\n  - name: ${name}\n    host: ${name}.lan\n`);
      fs.writeFileSync(path.join(dir, 'bad.csv'), `name,host\n${unique('cli')},bad host\n`);
      const ok = await cli(path.join(dir, 'ok.yaml'));
      expect(ok).toMatchObject({ code: 0, stdout: expect.stringMatching(/1 device\(s\) created/) });
      expect(await byName(name)).toBeDefined();
      const bad = await cli(path.join(dir, 'bad.csv'));
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/nothing imported[\s\S]*line 2: host must be/);
      const missing = await cli(path.join(dir, 'missing.yaml'));
      expect(missing.code).toBe(2);
      fs.rmSync(dir, { recursive: true });
    });
  });
});
