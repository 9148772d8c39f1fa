import { digestText } from './activity-digest.service';
import type { ActivityReportDto } from '../reports/report.dto';

const figures = {
  opened: 1,
  resolved: 1,
  escalated: 0,
  meanTimeToAcknowledgeSec: 60,
  meanTimeToResolveSec: 600,
  slaBreaches: 0,
};

describe('digestText', () => {
  it("counts people's requests: by channel, linked or not, first response, follow-up outcome", () => {
    const report: ActivityReportDto = {
      from: '2026-11-25T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
      totals: figures,
      byTeam: [],
      byPriority: [],
      bySite: [],
      topOffenders: [],
      requests: {
        byChannel: [
          { channel: 'email', opened: 12 },
          { channel: 'manual', opened: 3 },
        ],
        linked: 9,
        unlinked: 6,
        answered: 4,
        meanFirstResponseSec: 1800,
        followUpConfirmed: 5,
        followUpStillBroken: 1,
      },
    };
    expect(digestText(report)).toContain(
      "People's requests: 12 by email, 3 by manual; 9 linked to an incident, 6 not; first response 30 min; " +
        'follow-ups: 5 confirmed, 1 still broken',
    );
  });
});
