import { Writable } from 'node:stream';
import { createRootLogger, PinoLoggerService } from './pino-logger';

/** A driver error as TypeORM throws it: the failed query and its parameters ride along. */
class QueryFailedError extends Error {
  override name = 'QueryFailedError';
  code = '22021';
  query = 'INSERT INTO "users"("email","password_hash") VALUES ($1, $2)';
  parameters = ['a@b.c', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'];
  driverError = { detail: 'Key (email)=(a@b.c)', parameters: this.parameters };
  constructor() {
    super('invalid byte sequence for encoding "UTF8": 0x00');
  }
}

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, log: createRootLogger('debug', sink) };
}

describe('logging errors through an allow-list', () => {
  it.each([
    ['pino, { err }', (l: ReturnType<typeof capture>['log'], e: Error) => l.error({ err: e }, 'failed')],
    [
      'pino, { error }',
      (l: ReturnType<typeof capture>['log'], e: Error) => l.error({ error: e, requestId: 'r1' }, 'x'),
    ],
    ['pino, the error itself', (l: ReturnType<typeof capture>['log'], e: Error) => l.error(e)],
    ['pino, { cause }', (l: ReturnType<typeof capture>['log'], e: Error) => l.error({ cause: e }, 'x')],
    [
      'Nest logger',
      (l: ReturnType<typeof capture>['log'], e: Error) => new PinoLoggerService(l).error({ err: e }, 'x'),
    ],
    [
      'Nest logger, the error itself',
      (l: ReturnType<typeof capture>['log'], e: Error) => new PinoLoggerService(l).error(e),
    ],
  ])('%s: keeps type, message, code and stack; drops parameters, query and driverError', (_, write) => {
    const { lines, log } = capture();
    write(log, new QueryFailedError());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/QueryFailedError/);
    expect(lines[0]).toMatch(/invalid byte sequence/);
    expect(lines[0]).toMatch(/22021/);
    expect(lines[0]).not.toMatch(/argon2|parameters|INSERT|driverError|Key \(email\)/);
  });

  it('keeps the cause chain, allow-listed too', () => {
    const { lines, log } = capture();
    log.error({ err: new Error('outer', { cause: new QueryFailedError() }) }, 'x');
    const line = JSON.parse(lines[0]);
    expect(line.err.cause.type).toBe('QueryFailedError');
    expect(lines[0]).not.toMatch(/argon2/);
  });

  it('still redacts secret-named fields outside errors', () => {
    const { lines, log } = capture();
    log.info({ snmp: { community: 'public-secret' }, password: 'pw' }, 'x');
    expect(lines[0]).not.toMatch(/public-secret|"pw"/);
  });
});
