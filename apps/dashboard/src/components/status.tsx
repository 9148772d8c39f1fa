import { STATUS_ICON, STATUS_LABEL } from '../format';
import type { DeviceStatus, Priority, Ticket } from '../types';

/** A status is always colour + icon + word. */
export function StatusBadge({ status, large }: { status: DeviceStatus; large?: boolean }) {
  return (
    <span class={`badge st-${status}${large ? ' large' : ''}`}>
      <span aria-hidden="true">{STATUS_ICON[status]}</span> {STATUS_LABEL[status]}
    </span>
  );
}

const PRIORITY_ICON: Record<Priority, string> = { P1: '‼', P2: '!', P3: '•', P4: '·' };

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span class={`badge prio-${priority}`} title={`Priority ${priority}`}>
      <span aria-hidden="true">{PRIORITY_ICON[priority]}</span> {priority}
    </span>
  );
}

const TICKET_ICON: Record<Ticket['status'], string> = {
  open: '●',
  acknowledged: '✓',
  in_progress: '▶',
  resolved: '✔',
  closed: '■',
};

export function TicketStatusBadge({ status }: { status: Ticket['status'] }) {
  return (
    <span class={`badge tst-${status}`}>
      <span aria-hidden="true">{TICKET_ICON[status]}</span> {status.replace('_', ' ')}
    </span>
  );
}

export function FlappingMark() {
  return (
    <span class="badge flapping" title="Flapping: changing state repeatedly">
      <span aria-hidden="true">≈</span> flapping
    </span>
  );
}
