import type { TestApp } from '../support/test-app';
import { unique, uniqueHost } from './unique';

export type DeviceBody = Record<string, unknown>;

export const deviceFactory = {
  build(overrides: DeviceBody = {}): DeviceBody {
    return { name: unique('dev'), host: uniqueHost(), kind: 'switch', ...overrides };
  },

  async create(
    t: TestApp,
    overrides: DeviceBody = {},
  ): Promise<Record<string, unknown> & { id: string; name: string; host: string }> {
    const res = await t.http
      .post('/api/devices')
      .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
      .send(this.build(overrides));
    if (res.status !== 201) throw new Error(`device factory: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  },
};

export const siteFactory = {
  build(overrides: DeviceBody = {}): DeviceBody {
    return { name: unique('site'), location: 'Test lab', ...overrides };
  },

  async create(t: TestApp, overrides: DeviceBody = {}): Promise<{ id: string; name: string; location: string | null }> {
    const res = await t.http
      .post('/api/sites')
      .set('Authorization', `Bearer ${await t.tokenFor('admin')}`)
      .send(this.build(overrides));
    if (res.status !== 201) throw new Error(`site factory: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  },
};
