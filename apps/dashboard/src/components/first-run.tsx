import { roleAtLeast, session } from '../api';

/** An empty board on the first run: what to do next, and where. */
export function FirstRun() {
  const user = session.user();
  const admin = user ? roleAtLeast(user, 'admin') : false;
  return (
    <section class="first-run" aria-labelledby="first-run-title" data-testid="first-run">
      <h2 id="first-run-title">No devices yet</h2>
      <p>NetDesk watches what you add. Start in one of three ways:</p>
      <ol class="first-steps">
        <li>
          <a class="step" href="/inventory/discovery">
            <strong>Discover a range</strong>
            <span class="muted">Sweep a subnet and pick what to add</span>
          </a>
        </li>
        <li>
          <a class="step" href="/inventory/devices/new">
            <strong>Add a device</strong>
            <span class="muted">Name, address and, optionally, SNMP</span>
          </a>
        </li>
        <li>
          <a class="step" href="/inventory/import">
            <strong>Import a file</strong>
            <span class="muted">YAML or CSV, all rows checked first</span>
          </a>
        </li>
      </ol>
      {!admin && <p class="muted">Adding devices needs an admin: ask yours to do one of these.</p>}
    </section>
  );
}
