import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { roleAtLeast, session } from '../api';
import { EscalationSettings } from './settings-escalation';
import { MaintenanceSettings } from './settings-maintenance';
import { NotificationSettings } from './settings-notifications';
import { RoutingSettings } from './settings-routing';
import { UserSettings } from './settings-users';
import { ThresholdSettings } from './wan';
import '../settings.css';

interface Section {
  path: string;
  label: string;
  role: 'manager' | 'admin';
  page: () => ComponentChildren;
}

const SECTIONS: Section[] = [
  { path: '/settings/maintenance', label: 'Maintenance', role: 'manager', page: () => <MaintenanceSettings /> },
  { path: '/settings/escalation', label: 'Escalation', role: 'manager', page: () => <EscalationSettings /> },
  { path: '/settings/routing', label: 'Routing', role: 'manager', page: () => <RoutingSettings /> },
  { path: '/settings/thresholds', label: 'Thresholds', role: 'manager', page: () => <ThresholdSettings /> },
  { path: '/settings/users', label: 'Users', role: 'admin', page: () => <UserSettings /> },
  { path: '/settings/notifications', label: 'Notifications', role: 'admin', page: () => <NotificationSettings /> },
];

/** The settings screens a manager (policies) or an admin (also users and notifications) may use. */
export function Settings({ path }: { path: string }) {
  const user = session.user();
  const allowed = SECTIONS.filter((s) => roleAtLeast(user, s.role));
  const current = path === '/settings' ? allowed[0] : SECTIONS.find((s) => s.path === path);
  return (
    <main class="settings">
      <nav class="settings-nav" aria-label="Settings">
        <h1>Settings</h1>
        <ul>
          {allowed.map((s) => (
            <li key={s.path}>
              <a href={s.path} aria-current={current === s ? 'page' : undefined}>
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <section class="settings-body">
        {!current ? (
          <p>
            No such settings page. <a href="/settings">All settings</a>
          </p>
        ) : !roleAtLeast(user, current.role) ? (
          <p class="error" role="alert">
            {current.label} settings need the {current.role} role.
          </p>
        ) : (
          current.page()
        )}
      </section>
    </main>
  );
}

/** A polite live region for "Saved …" notes after an action. */
export function StatusNote({ text }: { text: string | null }) {
  return (
    <p class="status-note" role="status" aria-live="polite">
      {text ?? ''}
    </p>
  );
}

/** A create/edit panel: its heading takes focus when it opens, Escape closes it. */
export function EditorPanel(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [props.title]);
  return (
    <section
      class="editor-panel"
      aria-label={props.title}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <h2 tabIndex={-1} ref={heading}>
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}

/**
 * When an editor closes (saved, cancelled, Escape), the keyboard goes back to the screen's "Add …" button
 * instead of being dropped on the page.
 */
export function useFocusBackWhenClosed(open: boolean): void {
  const was = useRef(open);
  useEffect(() => {
    if (was.current && !open)
      requestAnimationFrame(() => document.querySelector<HTMLButtonElement>('.settings-head button.primary')?.focus());
    was.current = open;
  }, [open]);
}

/** Team names as the API accepts them. */
export const TEAM_HINT = 'letters, digits, dots, dashes or underscores';
