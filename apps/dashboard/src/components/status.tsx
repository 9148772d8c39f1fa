import { clock, personName, shownState, STATE_LABEL, STATUS_ICON, STATUS_LABEL } from '../format';
import type { ShownState } from '../format';
import type { DeviceStatus, Person, Priority, Ticket } from '../types';

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

/** A wrench: the maintenance icon everywhere (an SVG, so it renders without an emoji font). */
export function Wrench({ size = '1em' }: { size?: string }) {
  return (
    <svg class="wrench" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M22.7 19.3l-9.1-9.1c.9-2.3.4-5-1.5-6.9-2-2-5-2.4-7.4-1.3L9 6.3 6.3 9 2 4.7C.9 7.1 1.4 10.1 3.4 12.1c1.9 1.9 4.6 2.4 6.9 1.5l9.1 9.1c.4.4 1 .4 1.4 0l1.9-1.9c.4-.4.4-1.1 0-1.5z"
      />
    </svg>
  );
}

/** The icon of a shown state. */
export function StateIcon({ state }: { state: ShownState }) {
  if (state === 'maintenance') return <Wrench />;
  return <span aria-hidden="true">{state === 'flapping' ? '≈' : STATUS_ICON[state]}</span>;
}

/**
 * A device's state as every screen shows it: maintenance (blue, wrench) or flapping (orange, ≈) before
 * the measured status, which stays readable beside them ("maintenance · down").
 */
export function DeviceStateBadge({
  device,
  large,
}: {
  device: { status: DeviceStatus; inMaintenance?: boolean; maintenanceUntil?: string | null; flapping?: boolean };
  large?: boolean;
}) {
  const state = shownState(device);
  const title =
    state === 'maintenance'
      ? `In maintenance${device.maintenanceUntil ? ` until ${clock(device.maintenanceUntil)}` : ''}; measured: ${device.status}`
      : state === 'flapping'
        ? `Flapping: changing state repeatedly; now ${device.status}`
        : undefined;
  return (
    <span class={`badge st-${state}${large ? ' large' : ''}`} title={title} data-state={state}>
      <StateIcon state={state} /> {STATE_LABEL[state]}
      {state !== device.status && <span class="badge-sub"> · {STATUS_LABEL[device.status]}</span>}
    </span>
  );
}

/** "✓ Alice" for who acknowledged a ticket. */
export function AckedBy({ person }: { person: Person | null | undefined }) {
  if (!person) return null;
  return (
    <span class="acked" title={`Acknowledged by ${person.name ?? person.email ?? 'someone'}`}>
      <span aria-hidden="true">✓</span> {personName(person)}
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
