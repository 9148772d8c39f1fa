import { smtpFailure } from './email.transport';

describe('smtpFailure', () => {
  it('retries transient SMTP replies and connection problems, not permanent replies', () => {
    expect(smtpFailure({ responseCode: 451, response: '451 4.3.0 try later' })).toEqual({
      ok: false,
      retryable: true,
      error: 'SMTP 451 4.3.0 try later',
    });
    expect(smtpFailure({ responseCode: 550, response: '550 5.1.1 user unknown' })).toMatchObject({ retryable: false });
    expect(smtpFailure({ code: 'ECONNECTION' })).toEqual({
      ok: false,
      retryable: true,
      error: 'SMTP error: ECONNECTION',
    });
    expect(smtpFailure({ code: 'EENVELOPE' })).toMatchObject({ retryable: false });
  });
});
