import { escapeSlack, eventLabel, formatEmail, formatSlack, formatWebhook } from './notification-payloads';
import type { NotificationMessage } from './notification.types';

const message: NotificationMessage = {
  ticketId: '3b0e7f8a-59a4-4b8e-9d6f-1f2e3d4c5b6a',
  ticketNumber: 1042,
  event: 'escalated',
  priority: 'P1',
  title: 'core-sw-1 is down',
  text: 'No reply to ping for 3 minutes.\nUplink <ge-0/0/1> & LAG affected.',
  url: 'https://netdesk.example.com/tickets/1042',
  fields: { Device: 'core-sw-1', Site: 'HQ' },
};

describe('eventLabel', () => {
  it('names known events and humanises others', () => {
    expect(eventLabel('sla_breached')).toBe('SLA breached');
    expect(eventLabel('acknowledged_by_agent')).toBe('Acknowledged by agent');
    expect(eventLabel('')).toBe('Update');
  });
});

describe('formatEmail', () => {
  it('puts number, event, title and priority in the subject and the details in the body', () => {
    const { subject, text } = formatEmail(message);
    expect(subject).toBe('[NetDesk #1042] Escalated: core-sw-1 is down (P1)');
    expect(text).toContain('No reply to ping for 3 minutes.');
    expect(text).toContain('Device: core-sw-1');
    expect(text).toContain('Open the ticket: https://netdesk.example.com/tickets/1042');
  });

  it('keeps the subject on one line (no header injection)', () => {
    const { subject } = formatEmail({ ...message, title: 'x\r\nBcc: victim@example.com' });
    expect(subject).not.toMatch(/[\r\n]/);
  });
});

describe('formatWebhook', () => {
  it('is a stable JSON document', () => {
    expect(formatWebhook(message, new Date('2026-01-01T00:00:00Z'))).toEqual({
      source: 'netdesk',
      event: 'escalated',
      ticket: {
        id: message.ticketId,
        number: 1042,
        priority: 'P1',
        title: 'core-sw-1 is down',
        url: 'https://netdesk.example.com/tickets/1042',
      },
      text: message.text,
      fields: { Device: 'core-sw-1', Site: 'HQ' },
      sentAt: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('formatSlack', () => {
  it('has a fallback text and header, escaped text, fields and a link', () => {
    const payload = formatSlack(message);
    expect(payload.text).toBe('[P1] #1042 Escalated: core-sw-1 is down');
    expect(payload.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '[P1] #1042 Escalated: core-sw-1 is down' },
    });
    expect(payload.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: 'No reply to ping for 3 minutes.\nUplink &lt;ge-0/0/1&gt; &amp; LAG affected.' },
    });
    expect(payload.blocks[2]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Device*\ncore-sw-1' },
        { type: 'mrkdwn', text: '*Site*\nHQ' },
      ],
    });
    expect(JSON.stringify(payload.blocks[3])).toContain('<https://netdesk.example.com/tickets/1042|open in NetDesk>');
  });

  it('stays within Slack limits', () => {
    const fields = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`f${i}`, 'v'.repeat(3000)]));
    const payload = formatSlack({ ...message, title: 't'.repeat(500), text: 'x'.repeat(5000), fields });
    const header = payload.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    const section = payload.blocks[1] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    const fieldBlock = payload.blocks[2] as { fields: { text: string }[] };
    expect(fieldBlock.fields).toHaveLength(10);
    expect(Math.max(...fieldBlock.fields.map((f) => f.text.length))).toBeLessThanOrEqual(2000);
  });

  it('leaves out a link that is not http(s)', () => {
    expect(JSON.stringify(formatSlack({ ...message, url: 'javascript:alert(1)' }))).not.toContain('javascript');
  });

  it('escapes mrkdwn control characters', () => {
    expect(escapeSlack('<!channel> & co')).toBe('&lt;!channel&gt; &amp; co');
  });
});
