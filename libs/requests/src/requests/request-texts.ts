import type { Ticket } from '@netdesk/ticketing';

const STATE: Record<string, string> = {
  open: 'open: it has been reported and is waiting for an engineer',
  acknowledged: 'acknowledged: an engineer is on it',
  in_progress: 'being worked on',
  resolved: 'resolved',
  closed: 'closed',
};

const duration = (sec: number) =>
  sec >= 86400
    ? `${Math.round(sec / 86400)} days`
    : sec >= 3600
      ? `${Math.round(sec / 3600)} hours`
      : `${Math.round(sec / 60)} minutes`;

/** The automatic answer to a request linked to a live incident: we know, this is its state. */
export function incidentState(request: Ticket, incident: Ticket, followUpSec: number): string {
  return (
    `Hello,\n\nthank you for your message. We already know about this problem: incident #${incident.number} ` +
    `("${incident.title}") is ${STATE[incident.status] ?? incident.status}.\n\n` +
    `Your request is #${request.number} and is linked to it. We will write to you as soon as it is fixed; ` +
    `if it still does not work for you then, reply to that mail within ${duration(followUpSec)}.\n\n-- NetDesk`
  );
}

/** The mail to a requester when the incident their request is linked to was resolved. */
export function resolutionNotice(request: Ticket, incident: Ticket, followUpSec: number): string {
  return (
    `Hello,\n\nthe problem behind your request #${request.number} has been fixed: incident #${incident.number} ` +
    `("${incident.title}") is resolved${incident.resolution ? ` (${incident.resolution})` : ''}.\n\n` +
    `Please check that it works for you again. If it still does not, simply reply to this mail within ` +
    `${duration(followUpSec)} and we reopen your request.\n\n-- NetDesk`
  );
}
