import * as path from 'node:path';
import { ConfigError, loadConfig } from './config.schema';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.trapPort).toBe(162);
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.database.url).toBeUndefined();
    expect(config.pollerEnabled).toBe(true);
    expect(config.bootstrapAdmin).toBeUndefined();
    expect(config.live.windowMs).toBe(25);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).http.port).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ NETDESK_TRAP_PORT: '-1' }, 'NETDESK_TRAP_PORT'],
    [{ NETDESK_SECRET_KEY: 'short' }, 'NETDESK_SECRET_KEY'],
    [{ NETDESK_POLLER: 'maybe' }, 'NETDESK_POLLER'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NETDESK_ADMIN_EMAIL: 'a@b.io' }, 'NETDESK_ADMIN_PASSWORD'],
    [{ NETDESK_LIVE_WINDOW_MS: '0' }, 'NETDESK_LIVE_WINDOW_MS'],
  ])('rejects %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });

  it('never echoes a secret value in the error', () => {
    expect(() => loadConfig({ NETDESK_SECRET_KEY: 'tooshort' })).toThrow(/^(?![\s\S]*tooshort)/);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as ConfigError).problems).toHaveLength(2);
    }
  });
});
