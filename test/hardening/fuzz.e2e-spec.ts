import fc from 'fast-check';
import { Client } from 'pg';
import { io } from 'socket.io-client';
import { JwtService } from '@nestjs/jwt';
import { SecretBox } from '@netdesk/core';
import { listen } from '../realtime/live-client';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Property-based requests generated from the app's own OpenAPI document, for every operation and every
 * identity: random types, nulls, NULs, lone surrogates, deep nesting, big and many keys, unknown and
 * prototype keys, nasty path and query values. Asserts no 5xx, no secret in any response or log line,
 * and nothing stored by a request that was refused. The socket gateway gets the same: handshake `auth`
 * payloads and `subscribe` payloads. Fixed seed, time budget; prints one summary line.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 120_000);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 120);
const SOCKET_RUNS = Number(process.env.FUZZ_SOCKET_RUNS ?? 150);
const SOCKET_BUDGET_MS = Number(process.env.FUZZ_SOCKET_BUDGET_MS ?? 30_000);

const SECRET_KEY = 'fuzz-master-key-0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const COMMUNITY = 'fz-community-c0ffee42';
const AUTH_KEY = 'fz-authkey-b4dc0de42';
const PRIV_KEY = 'fz-privkey-d00dfeed42';

type Identity = 'anonymous' | 'viewer' | 'agent' | 'manager' | 'admin' | 'forged' | 'garbage';
/** Signed-in roles more often than not, the admin most (it reaches the most code). */
const IDENTITY_ARB: fc.Arbitrary<Identity> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('admin' as const) },
  { weight: 2, arbitrary: fc.constantFrom('viewer' as const, 'agent' as const, 'manager' as const) },
  { weight: 1, arbitrary: fc.constantFrom('anonymous' as const, 'forged' as const, 'garbage' as const) },
);

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  $ref?: string;
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  example?: unknown;
  nullable?: boolean;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  parameters: Parameter[];
  body?: { type: 'json'; schema: Schema } | { type: 'text'; contentTypes: string[] };
}
interface FuzzRequest {
  identity: Identity;
  url: string;
  contentType?: string;
  body?: string;
}

/** Strings that broke something once, or could. */
const NASTY_STRINGS = [
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udc00y',
  '\ud83d',
  '',
  ' ',
  'x'.repeat(5000),
  '../../etc/passwd',
  "'; DROP TABLE users; --",
  '%00',
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  '2147483648',
  '-1',
  '1e309',
  'NaN',
  '0000-00-00T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-13-45T99:99:99Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '\u202e\ufeff\u200b',
  '😀',
  'null',
  'true',
  '{"a":1}',
];
const NASTY_NUMBERS = [0, -1, 1, 2147483647, 2147483648, -2147483649, Number.MAX_SAFE_INTEGER + 2, 1.5, 1e308, -0];

function deep(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}
/** A value fast-check reports by name instead of walking it (its printer recurses). */
class Lazy {
  constructor(
    readonly label: string,
    readonly make: () => unknown,
  ) {}
  [fc.toStringMethod](): string {
    return this.label;
  }
}

function manyKeys(n: number): Record<string, number> {
  const o: Record<string, number> = {};
  for (let i = 0; i < n; i++) o[`k${i}`] = i;
  return o;
}

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(...NASTY_NUMBERS),
  fc.boolean(),
  fc.string({ maxLength: 30, unit: 'binary' }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constant([]),
  fc.array(fc.constantFrom(...NASTY_STRINGS, null, 1), { maxLength: 4 }),
  fc.constant({}),
  fc.dictionary(fc.constantFrom('a', 'x', '__proto__', 'constructor', 'b\u0000'), fc.constantFrom(1, null, 'v')),
  fc.constant(deep(40)),
  fc.constant(deep(8)),
  fc.constant(manyKeys(1200)),
  fc.jsonValue({ maxDepth: 3 }),
);

function resolve(doc: { components: { schemas: Record<string, Schema> } }, s: Schema | undefined): Schema {
  if (!s) return {};
  if (s.$ref) return resolve(doc, doc.components.schemas[s.$ref.split('/').pop()!]);
  if (s.allOf?.length) return { ...resolve(doc, s.allOf[0]), nullable: s.nullable };
  return s;
}

/** Inputs that fit the declared schema, as far as it says (ids from the seeded rows). */
function validValue(
  doc: Parameters<typeof resolve>[0],
  schema: Schema,
  ids: string[],
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  if (s.format === 'uuid') return ids.length ? fc.oneof(fc.constantFrom(...ids), fc.uuid()) : fc.uuid();
  if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (s.type === 'integer' || s.type === 'number') {
    const min = s.minimum ?? 0;
    const max = s.maximum ?? Math.max(min, 1000);
    return fc.integer({ min, max });
  }
  if (s.type === 'boolean') return fc.boolean();
  if (s.type === 'array') {
    return depth > 3 ? fc.constant([]) : fc.array(validValue(doc, s.items ?? {}, ids, depth + 1), { maxLength: 3 });
  }
  if (s.properties && depth <= 3) {
    const shape: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(s.properties)) shape[k] = validValue(doc, v, ids, depth + 1);
    return fc.record(shape, { requiredKeys: s.required ?? [] });
  }
  if (typeof s.example === 'string')
    return fc.oneof(fc.constant(s.example), fc.string({ minLength: 1, maxLength: 12 }));
  if (s.type === 'string' || s.type === 'object' || !s.type)
    return fc.stringMatching(/^[a-z][a-z0-9.-]{0,15}$/).map((v) => v || 'x');
  return fc.constant(null);
}

/** A JSON body: valid, one field turned nasty, an unknown or prototype key added, random JSON, or raw text. */
function jsonBody(doc: Parameters<typeof resolve>[0], schema: Schema, ids: string[]): fc.Arbitrary<string | undefined> {
  const s = resolve(doc, schema);
  const fields = Object.keys(s.properties ?? {});
  const valid = validValue(doc, s, ids) as fc.Arbitrary<Record<string, unknown>>;
  const mutated = fields.length
    ? fc.tuple(valid, fc.constantFrom(...fields), nastyValue).map(([v, k, bad]) => JSON.stringify({ ...v, [k]: bad }))
    : valid.map((v) => JSON.stringify(v));
  const nulled = fields.length
    ? fc.tuple(valid, fc.constantFrom(...fields)).map(([v, k]) => JSON.stringify({ ...v, [k]: null }))
    : mutated;
  const badText = fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\ud800', '\udfff'), fc.string({ maxLength: 8 }))
    .map(([a, bad, b]) => `${a}${bad}${b}`);
  const badChars = fields.length
    ? fc.tuple(valid, fc.constantFrom(...fields), badText).map(([v, k, bad]) => JSON.stringify({ ...v, [k]: bad }))
    : mutated;
  const nestedMutated = fields.length
    ? fc.tuple(valid, fc.constantFrom(...fields), nastyValue).map(([v, k, bad]) => {
        const inner = v[k];
        if (Array.isArray(inner) && inner.length && typeof inner[0] === 'object' && inner[0] !== null)
          return JSON.stringify({ ...v, [k]: [{ ...(inner[0] as object), [Object.keys(inner[0])[0] ?? 'x']: bad }] });
        if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
          const key = Object.keys(inner)[0] ?? 'x';
          return JSON.stringify({ ...v, [k]: { ...inner, [key]: bad } });
        }
        return JSON.stringify({ ...v, [k]: bad });
      })
    : mutated;
  const extraKey = fc
    .tuple(valid, fc.constantFrom('__proto__', 'constructor', 'prototype', 'unknownField', 'isAdmin', 'a\u0000'))
    .map(([v, k]) =>
      JSON.stringify(v)
        .replace(/^\{/, `{${JSON.stringify(k)}:{"polluted":true},`)
        .replace(/,\}$/, '}'),
    );
  const raw = fc.constantFrom(
    '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
    '['.repeat(5000) + ']'.repeat(5000),
    JSON.stringify(manyKeys(60_000)),
    '{"name":',
    '{"name":"x\\u0000"}',
    '{"name":"\\ud800"}',
    '"just a string"',
    '[]',
    '123',
    'null',
    '',
    '{}',
    '{"name":"x","name":"y"}',
    '\u0000',
    '{"x":1e999999}',
  );
  return fc.oneof(
    { weight: 2, arbitrary: valid.map((v) => JSON.stringify(v)) },
    { weight: 5, arbitrary: mutated },
    { weight: 2, arbitrary: nulled },
    { weight: 2, arbitrary: badChars },
    { weight: 2, arbitrary: nestedMutated },
    { weight: 2, arbitrary: extraKey },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: raw },
  );
}

const NASTY_PATH = [
  'x',
  '%00',
  '%ED%A0%80',
  '2147483648',
  '-1',
  '0',
  '1.5',
  'null',
  '00000000-0000-0000-0000-000000000000',
  '%E2%80%AE',
  'a'.repeat(300),
  '%2e%2e%2f',
];
const NASTY_QUERY = ['%00', 'a%00b', '%ED%A0%80', '', 'x'.repeat(3000), '2147483648', '-1', 'null', '%FF', '1e309'];

/**
 * Discovery sweeps for real: whatever the fuzzer makes of a body, a sweep may only ever reach loopback.
 * A missing cidr (which would mean this server's own subnets) and any well-formed one become a loopback
 * range of at most 16 addresses; malformed values are kept, so validation is still fuzzed.
 */
function loopbackOnly<T extends { body?: string; contentType?: string }>(request: T): T {
  const LOOPBACK = '127.0.0.0/30';
  if (request.body === undefined || request.body === '')
    return { ...request, contentType: 'application/json', body: JSON.stringify({ cidr: LOOPBACK }) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    return request; // not JSON: refused before any sweep
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return request;
  const fields = parsed as Record<string, unknown>;
  const cidr = fields.cidr;
  const wellFormed = typeof cidr === 'string' && /^\s*\d{1,3}(\.\d{1,3}){3}\s*(\/\s*\d{1,2}\s*)?$/.test(cidr);
  if (cidr === undefined || cidr === null || wellFormed) {
    const prefix = typeof cidr === 'string' ? Number(cidr.split('/')[1] ?? 32) : 30;
    const safe = `127.0.0.0/${Number.isFinite(prefix) ? Math.min(32, Math.max(28, prefix)) : 30}`;
    return { ...request, body: JSON.stringify({ ...fields, cidr: safe }) };
  }
  return request;
}

describe('hardening: fuzzing from the OpenAPI document', () => {
  let t: TestApp;
  let db: Client;
  let url: string;
  const tokens = new Map<Identity, string>();
  const secrets: string[] = [];
  const statuses = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  const socketStatuses = { connected: 0, refused4xx: 0, acked: 0, ack4xx: 0, '5xx': 0 };
  const failures: string[] = [];
  let sent = 0;
  let slowest = { ms: 0, what: '' };
  const started = Date.now();

  beforeAll(async () => {
    t = await startTestApp('fuzz', { NETDESK_SECRET_KEY: SECRET_KEY, NETDESK_LOGIN_MAX_FAILURES: '1000' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    for (const role of ['viewer', 'agent', 'manager', 'admin'] as const) tokens.set(role, await t.tokenFor(role));
    const jwt = t.app.get(JwtService, { strict: false });
    tokens.set('forged', await jwt.signAsync({ sub: '7d4f1e0a-0000-4000-8000-000000000000', role: 'admin', ver: 0 }));
    tokens.set('garbage', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    url = await listen(t);
    const jwtKey = SecretBox.deriveKey(SECRET_KEY, 'jwt');
    secrets.push(SECRET_KEY, COMMUNITY, AUTH_KEY, PRIV_KEY, jwtKey.toString('hex'), jwtKey.toString('base64'));
    secrets.push('admin-password-1', 'viewer-password-1', 'agent-password-1', 'manager-password-1');
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  /** Every API-writable table, hashed: a refused request must leave it as it was. */
  async function snapshot(): Promise<string> {
    const tables = [
      'users',
      'sites',
      'devices',
      'device_interfaces',
      'tickets',
      'ticket_events',
      'escalation_policies',
      'routing_rules',
      'maintenance_windows',
      'problems',
    ];
    const parts = tables.map(
      (tb) => `SELECT '${tb}:' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS h FROM ${tb} t`,
    );
    const res = await db.query(`SELECT string_agg(h, '|') AS all FROM (${parts.join(' UNION ALL ')}) x`);
    return res.rows[0].all as string;
  }

  function leaks(text: string): string | undefined {
    if (text.includes('$argon2')) return 'a password hash';
    return secrets.find((s) => text.includes(s));
  }

  async function send(op: Operation, r: FuzzRequest): Promise<number> {
    let req = t.http[op.method](r.url);
    const token = tokens.get(r.identity);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    if (r.contentType) req = req.set('Content-Type', r.contentType);
    const res = await (r.body !== undefined ? req.send(r.body) : req);
    sent++;
    const cls = `${Math.floor(res.status / 100)}xx` as keyof typeof statuses;
    statuses[cls] = (statuses[cls] ?? 0) + 1;
    const text = res.text ?? '';
    const leaked = leaks(text) ?? leaks(JSON.stringify(res.headers));
    if (leaked) failures.push(`${op.method.toUpperCase()} ${r.url} leaked ${leaked} in its response`);
    if (res.status >= 400 && res.status < 500) {
      // the contract's error shape, with a message naming the problem
      const b = res.body as { statusCode?: unknown; error?: unknown; message?: unknown };
      const shaped =
        b?.statusCode === res.status &&
        typeof b.error === 'string' &&
        Array.isArray(b.message) &&
        b.message.length > 0 &&
        b.message.every((m) => typeof m === 'string' && m.length > 0);
      if (!shaped)
        failures.push(
          `${op.method.toUpperCase()} ${r.url} → ${res.status} without the error shape: ${text.slice(0, 200)}`,
        );
    }
    if (res.status >= 500) {
      failures.push(
        `${op.method.toUpperCase()} ${r.url} as ${r.identity} → ${res.status} ${text.slice(0, 300)} body=${(r.body ?? '').slice(0, 300)}`,
      );
    }
    return res.status;
  }

  it('answers every operation, for every identity, without a 5xx, a leaked secret or a half-stored write', async () => {
    // Seed rows the generated requests can name: sites, devices (with SNMP secrets), tickets, users to spare.
    const admin = `Bearer ${tokens.get('admin')}`;
    const post = async (path: string, body: object) =>
      (await t.http.post(path).set('Authorization', admin).send(body).expect(201)).body as { id: string };
    const site = await post('/api/sites', { name: unique('fz-site') });
    const devices = [
      await post('/api/devices', {
        name: unique('fz-v2'),
        host: '192.0.2.50',
        siteId: site.id,
        snmp: { version: '2c', community: COMMUNITY },
      }),
      await post('/api/devices', {
        name: unique('fz-v3'),
        host: '192.0.2.51',
        snmp: {
          version: '3',
          username: 'fz',
          authProtocol: 'sha',
          authKey: AUTH_KEY,
          privProtocol: 'aes',
          privKey: PRIV_KEY,
        },
      }),
    ];
    const sealed = await db.query('SELECT snmp_secret FROM devices WHERE snmp_secret IS NOT NULL');
    for (const row of sealed.rows) secrets.push(row.snmp_secret as string);
    const tickets = [await post('/api/tickets', { title: unique('fz-ticket'), deviceId: devices[0].id })];
    const spare = [];
    for (let i = 0; i < 3; i++) {
      spare.push(
        await post('/api/users', {
          email: `${unique('fz-spare')}@netdesk.test`,
          password: 'spare-password-1',
          role: 'agent',
        }),
      );
    }
    const policies = [await post('/api/escalation-policies', { name: unique('fz-p'), steps: [{ delaySeconds: 60 }] })];
    const pools: Record<string, string[]> = {
      users: spare.map((u) => u.id),
      sites: [site.id],
      devices: devices.map((d) => d.id),
      tickets: tickets.map((x) => x.id),
      'escalation-policies': policies.map((p) => p.id),
    };
    const allIds = Object.values(pools).flat();

    const doc = (await t.http.get('/api/docs/openapi.json').expect(200)).body;
    const operations: Operation[] = [];
    for (const [path, ops] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      for (const [method, raw] of Object.entries(ops)) {
        const o = raw as { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } };
        const content = o.requestBody?.content ?? {};
        const body: Operation['body'] = content['application/json']
          ? { type: 'json', schema: content['application/json'].schema }
          : Object.keys(content).length
            ? { type: 'text', contentTypes: Object.keys(content) }
            : undefined;
        operations.push({ method: method as Operation['method'], path, parameters: o.parameters ?? [], body });
      }
    }
    expect(operations.length).toBeGreaterThan(40);

    const perOperationMs = Math.floor(BUDGET_MS / operations.length);
    for (const op of operations) {
      const resource = op.path.split('/')[2] ?? '';
      // Pinging or sweeping real addresses is slow by design: those get unknown ids / a tiny range.
      const pool = op.path.endsWith('/ping') ? [] : (pools[resource] ?? []);
      const pathArb = (p: Parameter): fc.Arbitrary<string> => {
        const typed = p.schema?.type === 'number' || p.schema?.type === 'integer';
        const good = typed
          ? fc.constantFrom('1', '2', '2147483647')
          : pool.length
            ? fc.constantFrom(...pool)
            : fc.uuid();
        return fc.oneof(
          { weight: 3, arbitrary: good },
          { weight: 1, arbitrary: fc.uuid() },
          { weight: 2, arbitrary: fc.constantFrom(...NASTY_PATH) },
        );
      };
      const queryArb = (p: Parameter): fc.Arbitrary<string | undefined> =>
        fc.option(
          fc.oneof(
            validValue(doc, p.schema ?? {}, allIds).map((v) => encodeURIComponent(String(v))),
            fc.constantFrom(...NASTY_QUERY),
          ),
          { nil: undefined, freq: 2 },
        );
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const queryParams = op.parameters.filter((p) => p.in === 'query');
      const bodyArb: fc.Arbitrary<{ contentType?: string; body?: string }> = !op.body
        ? fc.oneof(
            { weight: 3, arbitrary: fc.constant({}) },
            {
              weight: 1,
              arbitrary: fc
                .constantFrom('{"x":1}', '{"__proto__":{"a":1}}', '[1]', '"s"')
                .map((body) => ({ contentType: 'application/json', body })),
            },
          )
        : op.body.type === 'json'
          ? fc
              .tuple(
                jsonBody(doc, op.body.schema, allIds),
                fc.oneof(
                  { weight: 12, arbitrary: fc.constant('application/json') },
                  {
                    weight: 1,
                    arbitrary: fc.constantFrom(
                      'text/plain',
                      'application/yaml',
                      'text/csv',
                      'application/x-www-form-urlencoded',
                      'application/json; charset=latin1',
                      'application/vnd.api+json',
                    ),
                  },
                ),
              )
              .map(([body, contentType]) => ({ contentType, body }))
          : fc
              .tuple(
                fc.constantFrom(...op.body.contentTypes, 'application/json', 'text/plain'),
                fc.constantFrom(
                  'devices:\n  - name: "a\\0b"\n    host: 192.0.2.9\n',
                  'devices:\n  - name: "\\ud800"\n    host: 192.0.2.9\n',
                  'devices:\n  - name: x\n    host: 192.0.2.9\n    __proto__: {a: 1}\n',
                  'devices:\n  - name: x\n    host: 192.0.2.9\n    tags: ' + '['.repeat(200) + ']'.repeat(200) + '\n',
                  'sites:\n  - name: ~\n',
                  'name,host\nx\u0000y,192.0.2.9\n',
                  'name,host,pollIntervalSec\nx,192.0.2.9,2147483648\n',
                  '\u0000',
                  '- a\n- b\n',
                  'a: &a [*a]\n',
                  '',
                ),
              )
              .map(([contentType, body]) => ({ contentType, body }));
      const requestArb = fc
        .record({
          identity: IDENTITY_ARB,
          path: fc.tuple(...pathParams.map(pathArb), fc.constant('')),
          query: fc.tuple(...queryParams.map(queryArb), fc.constant(undefined)),
          body: bodyArb,
        })
        .map(({ identity, path, query, body }): FuzzRequest => {
          let u = op.path;
          pathParams.forEach((p, i) => (u = u.replace(`{${p.name}}`, path[i])));
          const qs = queryParams.flatMap((p, i) => (query[i] === undefined ? [] : [`${p.name}=${query[i]}`]));
          if (op.path === '/api/discovery') body = loopbackOnly(body);
          return { identity, url: qs.length ? `${u}?${qs.join('&')}` : u, ...body };
        });

      const deadline = Date.now() + perOperationMs;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(requestArb, async (r) => {
          // the time budget: every operation gets at least one request, then as many as fit its share
          if (runs++ > 0 && Date.now() > deadline) return true;
          const before = await snapshot();
          const t0 = Date.now();
          const status = await send(op, r);
          if (Date.now() - t0 > slowest.ms)
            slowest = { ms: Date.now() - t0, what: `${op.method.toUpperCase()} ${op.path}` };
          if (status >= 400 && status < 500) {
            const after = await snapshot();
            if (after !== before)
              failures.push(
                `${op.method.toUpperCase()} ${r.url} → ${status} but changed stored rows: ${(r.body ?? '').slice(0, 200)}`,
              );
          }
          return true;
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    }

    // The socket gateway: handshake payloads, then subscribe payloads on a good connection.
    const socketArb = fc.record({
      token: fc.oneof(
        IDENTITY_ARB.map((i) => tokens.get(i)),
        nastyValue,
      ),
      extra: fc.option(
        fc.tuple(fc.constantFrom('siteId', 'batch', 'view', '__proto__', 'constructor', 'x'), nastyValue),
        { nil: undefined },
      ),
      subscribe: fc.array(
        fc.oneof(
          fc.record({ siteId: fc.oneof(fc.constantFrom(site.id, null), nastyValue) }),
          nastyValue,
          fc.constant(new Lazy('deep(3000)', () => deep(3000))),
          fc
            .tuple(fc.constantFrom('__proto__', 'constructor', 'extra'), nastyValue)
            .map(([k, v]) => JSON.parse(`{${JSON.stringify(k)}:${JSON.stringify(v ?? null)}}`)),
        ),
        { maxLength: 3 },
      ),
    });
    const socketDeadline = Date.now() + SOCKET_BUDGET_MS;
    let socketRuns = 0;
    await fc.assert(
      fc.asyncProperty(socketArb, async ({ token, extra, subscribe }) => {
        if (socketRuns++ > 0 && Date.now() > socketDeadline) return true;
        const auth: Record<string, unknown> = { token };
        if (extra) auth[extra[0]] = extra[1];
        const socket = io(`${url}/live`, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
        try {
          const outcome = await new Promise<{ ok: true } | { ok: false; status?: number }>((done) => {
            socket.once('connect', () => done({ ok: true }));
            socket.once('connect_error', (e: Error & { data?: { statusCode?: number } }) =>
              done({ ok: false, status: e.data?.statusCode }),
            );
          });
          sent++;
          if (!outcome.ok) {
            if (!outcome.status || outcome.status >= 500) {
              socketStatuses['5xx']++;
              failures.push(`/live handshake ${JSON.stringify(auth).slice(0, 200)} → ${outcome.status}`);
            } else socketStatuses.refused4xx++;
            return true;
          }
          socketStatuses.connected++;
          for (const item of subscribe) {
            const payload = item instanceof Lazy ? item.make() : item;
            const label = item instanceof Lazy ? item.label : JSON.stringify(payload)?.slice(0, 200);
            let ack: { ok: boolean; statusCode?: number };
            try {
              ack = (await socket.timeout(5000).emitWithAck('subscribe', payload)) as typeof ack;
            } catch (e) {
              failures.push(`/live subscribe ${label} got no answer: ${(e as Error).message}`);
              break;
            }
            sent++;
            socketStatuses.acked++;
            if (!ack.ok && (ack.statusCode ?? 500) >= 500) {
              socketStatuses['5xx']++;
              failures.push(`/live subscribe ${label} → ${JSON.stringify(ack)}`);
            } else if (!ack.ok) socketStatuses.ack4xx++;
            if (!socket.connected) break;
          }
        } finally {
          socket.close();
        }
        return true;
      }),
      {
        seed: SEED,
        numRuns: SOCKET_RUNS,
        interruptAfterTimeLimit: 30_000,
        markInterruptAsFailure: false,
        endOnFailure: true,
      },
    );

    const logText = t.logs.join('\n');
    const logLeak = leaks(logText);
    if (logLeak) {
      const line = t.logs.find((l) => leaks(l));
      failures.unshift(`a log line holds ${logLeak}: ${line?.slice(0, 400)}`);
    }
    for (const line of t.logs.filter((l) => /"level":"(error|fatal)"/.test(l)).slice(0, 5)) {
      failures.push(`error logged: ${line.slice(0, 400)}`);
    }

    process.stdout.write(
      `\nfuzz: seed ${SEED}, ${sent} requests in ${Math.round((Date.now() - started) / 1000)} s ` +
        `(HTTP ${statuses['2xx']} × 2xx, ${statuses['3xx']} × 3xx, ${statuses['4xx']} × 4xx, ${statuses['5xx']} × 5xx; ` +
        `socket.io ${socketStatuses.connected} connected, ${socketStatuses.refused4xx} refused 4xx, ` +
        `${socketStatuses.acked} subscribe acks of which ${socketStatuses.ack4xx} 4xx, ${socketStatuses['5xx']} × 5xx; ` +
        `slowest HTTP request ${slowest.ms} ms: ${slowest.what})\n`,
    );
    expect(failures.slice(0, 40).map((f) => f.slice(0, 600))).toEqual([]);
    expect(statuses['5xx'] + socketStatuses['5xx']).toBe(0);
  }, 300_000);
});
