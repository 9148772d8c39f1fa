import {
  addressOf,
  classifyMail,
  followUpOutcome,
  isMailLoop,
  splitQuoted,
  threadIds,
  ticketNumberInSubject,
} from './mail-classification';

const headers =
  (h: Record<string, string>) =>
  (name: string): string | undefined =>
    h[name.toLowerCase()];

describe('classifyMail', () => {
  it.each([
    [{}, 'anna@x.test', 'Printer jams', 'person'],
    [{ 'auto-submitted': 'no' }, 'anna@x.test', 'Printer jams', 'person'],
    [{ 'auto-submitted': 'auto-replied' }, 'anna@x.test', 'Re: Printer', 'auto_reply'],
    [{ 'x-autoreply': 'yes' }, 'anna@x.test', 'Re: Printer', 'auto_reply'],
    [{ precedence: 'bulk' }, 'list@x.test', 'Newsletter', 'auto_reply'],
    [{}, 'anna@x.test', 'Out of Office: Re: [#4] VPN', 'auto_reply'],
    [{}, 'anna@x.test', 'Automatic reply: VPN', 'auto_reply'],
    [{}, 'MAILER-DAEMON@mx.test', 'Undelivered Mail Returned to Sender', 'bounce'],
    [{ 'content-type': 'multipart/report; report-type=delivery-status' }, 'x@y.test', 'Hi', 'bounce'],
    [{ 'return-path': '<>' }, 'x@y.test', 'Hi', 'bounce'],
    [{}, 'postmaster@y.test', 'Delivery Status Notification (Failure)', 'bounce'],
  ])('%j from %s "%s" is %s', (h, from, subject, nature) => {
    expect(classifyMail(headers(h), from, subject)).toBe(nature);
  });
});

describe('threading', () => {
  it('reads the ticket number from the subject', () => {
    expect(ticketNumberInSubject('Re: [#42] Printer')).toBe(42);
    expect(ticketNumberInSubject('AW: Re: ticket #7 again')).toBe(7);
    expect(ticketNumberInSubject('Room #7 has no network')).toBeNull();
  });

  it('lists In-Reply-To first, then References nearest first, once each', () => {
    expect(threadIds('<c@x>', ['<a@x>', '<b@x>', '<c@x>'])).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(threadIds(undefined, '<a@x> <b@x>')).toEqual(['<b@x>', '<a@x>']);
    expect(threadIds(undefined, undefined)).toEqual([]);
  });
});

describe('follow-up', () => {
  it.each([
    ['Thanks, works again!', 'confirmed'],
    ['Thank you', 'confirmed'],
    ['It is still not working', 'still_broken'],
    ["Doesn't work for me", 'still_broken'],
    ['Thanks, but it is down again', 'still_broken'],
    ['Hmm?', 'still_broken'],
  ])('"%s" is %s', (text, outcome) => expect(followUpOutcome(text)).toBe(outcome));

  it('folds the quoted conversation away', () => {
    expect(splitQuoted('Still broken.\n\nOn Mon, 1 Dec 2026 NetDesk wrote:\n> fixed')).toEqual({
      fresh: 'Still broken.',
      quoted: 'On Mon, 1 Dec 2026 NetDesk wrote:\n> fixed',
    });
    expect(splitQuoted('no quote').quoted).toBe('');
  });
});

describe('loops and addresses', () => {
  it('calls it a loop at the limit, or when the mail is our own', () => {
    expect(isMailLoop({ recentFromSender: 4, loopMax: 5, fromOurselves: false })).toBe(false);
    expect(isMailLoop({ recentFromSender: 5, loopMax: 5, fromOurselves: false })).toBe(true);
    expect(isMailLoop({ recentFromSender: 0, loopMax: 5, fromOurselves: true })).toBe(true);
  });

  it('takes the address out of a From header', () => {
    expect(addressOf('Anna Berg <Anna@X.test>')).toBe('anna@x.test');
    expect(addressOf('bob@y.test')).toBe('bob@y.test');
    expect(addressOf('nobody')).toBeNull();
  });
});
