import { describeTarget, InvalidNotifyTargetError, isDeliverable, parseNotifyTarget } from './notify-target';

const SLACK = 'https://hooks.slack.com/services/T000/B000/SECRETTOKEN';

describe('parseNotifyTarget', () => {
  it('parses every kind an operator can write', () => {
    expect(parseNotifyTarget('email:Ops@Example.com')).toEqual({ kind: 'email', address: 'ops@example.com' });
    expect(parseNotifyTarget('webhook:https://hooks.example.net/netdesk?key=abc')).toEqual({
      kind: 'webhook',
      url: 'https://hooks.example.net/netdesk?key=abc',
    });
    expect(parseNotifyTarget(`slack:${SLACK}`)).toEqual({ kind: 'slack', url: SLACK });
    expect(parseNotifyTarget('team:Network Ops')).toEqual({ kind: 'team', team: 'Network Ops' });
    expect(parseNotifyTarget('user:6F1C2E0A-1234-4ABC-9DEF-0123456789AB')).toEqual({
      kind: 'user',
      userId: '6f1c2e0a-1234-4abc-9def-0123456789ab',
    });
  });

  it('accepts surrounding spaces and an upper-case kind', () => {
    expect(parseNotifyTarget('  EMAIL: noc@example.org ')).toEqual({ kind: 'email', address: 'noc@example.org' });
  });

  it.each([
    ['', /is empty/],
    ['ops@example.com', /must start with one of email:, webhook:, slack:, team:, user:/],
    ['sms:+15550100', /must start with one of/],
    ['email:', /nothing after "email:"/],
    ['email:not-an-address', /not a valid email address/],
    ['email:a@b@c', /not a valid email address/],
    ['webhook:not a url', /not a valid URL/],
    ['webhook:ftp://files.example.com/x', /scheme must be http or https, not ftp/],
    ['webhook:https://user:pw@hooks.example.com/x', /must not contain credentials/],
    ['slack:https://hooks.slack.com/x#frag', /must not contain a #fragment/],
    ['team:-ops', /team name must be/],
    ['user:42', /user id must be a UUID/],
    [`webhook:https://example.com/${'a'.repeat(3000)}`, /longer than 2048/],
  ])('rejects %j naming the problem', (input, problem) => {
    expect(() => parseNotifyTarget(input)).toThrow(InvalidNotifyTargetError);
    expect(() => parseNotifyTarget(input)).toThrow(problem);
  });

  it('never echoes a webhook URL path (it may hold a secret) in its error', () => {
    let message = '';
    try {
      parseNotifyTarget('slack:https://hooks.slack.com/services/T0/B0/SECRETTOKEN#x');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('slack:https://hooks.slack.com');
    expect(message).not.toContain('SECRETTOKEN');
  });
});

describe('describeTarget', () => {
  it('keeps only scheme and host of webhooks', () => {
    expect(describeTarget(parseNotifyTarget(`slack:${SLACK}`))).toBe('slack:https://hooks.slack.com');
    expect(describeTarget(parseNotifyTarget('webhook:http://127.0.0.1:8080/in/abc?token=x'))).toBe(
      'webhook:http://127.0.0.1:8080',
    );
    expect(describeTarget(parseNotifyTarget('email:ops@example.com'))).toBe('email:ops@example.com');
  });

  it('marks team and user targets as needing resolution', () => {
    expect(isDeliverable(parseNotifyTarget('team:noc'))).toBe(false);
    expect(isDeliverable(parseNotifyTarget('user:6f1c2e0a-1234-4abc-9def-0123456789ab'))).toBe(false);
    expect(isDeliverable(parseNotifyTarget('email:a@example.com'))).toBe(true);
  });
});
