import { chooseIncident, IncidentCandidate, names } from './linking';

const incident = (over: Partial<IncidentCandidate>): IncidentCandidate => ({
  ticketId: 't1',
  number: 1,
  priority: 'P2',
  faultType: 'device_down',
  openedAt: new Date('2026-12-01T09:00:00Z'),
  deviceId: 'd1',
  deviceName: 'ber-gw',
  deviceHost: '10.1.0.1',
  siteId: 's-ber',
  ...over,
});

const devices = [
  { id: 'd1', name: 'ber-gw', host: '10.1.0.1', siteId: 's-ber' },
  { id: 'd2', name: 'ham-gw', host: '10.2.0.1', siteId: 's-ham' },
  { id: 'd3', name: 'ber-sw1', host: '10.1.0.2', siteId: 's-ber' },
];
const sites = [
  { id: 's-ber', name: 'Berlin', siteId: 's-ber' },
  { id: 's-ham', name: 'Hamburg', siteId: 's-ham' },
];

describe('names', () => {
  it('matches whole names and addresses only', () => {
    expect(names('is ber-gw down?', 'ber-gw')).toBe(true);
    expect(names('ping 10.1.0.1.', '10.1.0.1')).toBe(true);
    expect(names('ping 10.1.0.10', '10.1.0.1')).toBe(false);
    expect(names('ber-gw2 is fine', 'ber-gw')).toBe(false);
    expect(names('at the Berlin office', 'berlin')).toBe(true);
    expect(names('a b', 'ab')).toBe(false); // short names never match
  });
});

describe('chooseIncident', () => {
  it('links nothing without a live incident', () => {
    expect(chooseIncident({ text: 'ber-gw', senderSiteIds: ['s-ber'], incidents: [], devices, sites })).toBeNull();
  });

  it('links by the sender’s site', () => {
    const d = chooseIncident({
      text: 'internet is down',
      senderSiteIds: ['s-ber'],
      incidents: [incident({})],
      devices,
      sites,
    });
    expect(d?.incident.ticketId).toBe('t1');
    expect(d?.reason).toMatch(/contact/);
  });

  it('does not link a sender of another site who names nothing', () => {
    expect(
      chooseIncident({ text: 'internet is down', senderSiteIds: ['s-ham'], incidents: [incident({})], devices, sites }),
    ).toBeNull();
  });

  it('prefers a named device, then a named site, over the sender’s site', () => {
    const ham = incident({ ticketId: 't2', deviceId: 'd2', deviceName: 'ham-gw', siteId: 's-ham' });
    const ber = incident({});
    expect(
      chooseIncident({ text: 'ham-gw is down', senderSiteIds: ['s-ber'], incidents: [ber, ham], devices, sites })
        ?.incident.ticketId,
    ).toBe('t2');
    expect(
      chooseIncident({ text: 'Hamburg has no network', senderSiteIds: [], incidents: [ber, ham], devices, sites })
        ?.incident.ticketId,
    ).toBe('t2');
    expect(
      chooseIncident({ text: 'ping 10.1.0.1 fails', senderSiteIds: [], incidents: [ber, ham], devices, sites })
        ?.incident.ticketId,
    ).toBe('t1');
  });

  it('among incidents of one site picks a device down, then the most urgent, then the oldest', () => {
    const latency = incident({ ticketId: 'lat', faultType: 'high_latency', priority: 'P1', deviceId: 'd3' });
    const downLate = incident({ ticketId: 'late', openedAt: new Date('2026-12-01T10:00:00Z') });
    const downEarly = incident({ ticketId: 'early' });
    expect(
      chooseIncident({
        text: 'help',
        senderSiteIds: ['s-ber'],
        incidents: [latency, downLate, downEarly],
        devices,
        sites,
      })?.incident.ticketId,
    ).toBe('early');
  });
});
