import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, roleAtLeast, session, signOut } from './api';
import { watchP1 } from './alerts';
import { live } from './live';
import { interceptLinks, useLocation } from './router';
import { Board } from './components/board';
import { ConnectionBanner } from './components/connection-banner';
import { DeviceView } from './components/device-view';
import { inventoryPage } from './components/inventory';
import { Kiosk } from './components/kiosk';
import { Pollers } from './components/pollers';
import { ActivityReportPage, ProblemView, RecurringReport } from './components/reports';
import { Settings } from './components/settings';
import { SignIn } from './components/sign-in';
import { TicketQueue } from './components/ticket-queue';
import { TicketView } from './components/ticket-view';
import { TicketSearch } from './components/ticket-search';
import { articlesPage } from './components/articles';
import { ContactsPage } from './components/contacts';
import { WanView } from './components/wan';
import { WanCapacityReport } from './components/wan-report';
import { useLive } from './hooks';
import type { User } from './types';
import './styles.css';

function useSession() {
  const [user, setUser] = useState(session.user());
  useEffect(() => session.subscribe(() => setUser(session.user())), []);
  return user;
}

function App() {
  const user = useSession();
  const { path, query } = useLocation();
  const kiosk = query.get('kiosk') === '1';

  // one live connection while signed in; signing out drops it and its state
  useEffect(() => {
    if (!user) return;
    live.start();
    const off = watchP1();
    return () => {
      off();
      live.stop();
    };
  }, [user?.id]);

  // the role decides what the nav shows: take it from /api/auth/me, not only from what was stored at sign-in
  useEffect(() => {
    if (!user) return;
    get<User>('/api/auth/me').then(
      (me) => {
        const now = session.user();
        if (now && (me.role !== now.role || me.team !== now.team)) session.setUser(me);
      },
      () => undefined,
    );
  }, [user?.id]);

  if (!user) return <SignIn />;
  const manager = roleAtLeast(user, 'manager');
  const admin = roleAtLeast(user, 'admin');
  if (kiosk)
    return (
      <>
        <ConnectionBanner />
        <Kiosk />
      </>
    );

  let page;
  let inventory;
  let m: RegExpMatchArray | null;
  if ((m = path.match(/^\/tickets\/([0-9a-f-]{36})$/i))) page = <TicketView id={m[1]} />;
  else if ((m = path.match(/^\/devices\/([0-9a-f-]{36})$/i))) page = <DeviceView id={m[1]} />;
  else if (path === '/tickets') page = <TicketQueue />;
  else if (path === '/tickets/search') page = <TicketSearch />;
  else if (path === '/wan') page = <WanView />;
  else if (path === '/pollers') page = <Pollers />;
  else if (manager && path === '/reports') page = <RecurringReport />;
  else if (manager && path === '/reports/activity') page = <ActivityReportPage />;
  else if (manager && path === '/reports/wan-links') page = <WanCapacityReport />;
  else if (manager && (m = path.match(/^\/problems\/([0-9a-f-]{36})$/i))) page = <ProblemView id={m[1]} />;
  else if ((inventory = inventoryPage(path, admin))) page = inventory;
  else if (path === '/contacts') page = <ContactsPage />;
  else if ((inventory = articlesPage(path))) page = inventory;
  else if (manager && (path === '/settings' || path.startsWith('/settings/'))) page = <Settings path={path} />;
  else if (path === '/') page = <Board />;
  else if (!manager && (path.startsWith('/reports') || path.startsWith('/problems')))
    page = (
      <main>
        <h1>Reports are for managers</h1>
        <p data-testid="for-managers">
          Reports and problems need the manager role; you are signed in as {user.role}. Ask an admin if you need them.
        </p>
        <a href="/">Back to the board</a>
      </main>
    );
  else
    page = (
      <main>
        <h1>Not found</h1>
        <a href="/">Back to the board</a>
      </main>
    );

  return (
    <>
      <a
        class="skip"
        href="#content"
        onClick={(e) => (e.preventDefault(), document.getElementById('content')?.focus())}
      >
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          <span aria-hidden="true">◉</span> NetDesk
        </a>
        <nav aria-label="Main">
          <a href="/" aria-current={path === '/' ? 'page' : undefined}>
            Board
          </a>
          <a href="/tickets" aria-current={path.startsWith('/tickets') ? 'page' : undefined}>
            Tickets <TicketCount />
          </a>
          <a href="/articles" aria-current={path.startsWith('/articles') ? 'page' : undefined}>
            Articles
          </a>
          <a href="/contacts" aria-current={path === '/contacts' ? 'page' : undefined}>
            Contacts
          </a>
          <a href="/wan" aria-current={path === '/wan' ? 'page' : undefined}>
            WAN
          </a>
          {manager && (
            <a
              href="/reports"
              aria-current={path.startsWith('/reports') || path.startsWith('/problems') ? 'page' : undefined}
            >
              Reports
            </a>
          )}
          {admin && (
            <a href="/inventory/devices" aria-current={path.startsWith('/inventory') ? 'page' : undefined}>
              Inventory
            </a>
          )}
          {manager && (
            <a href="/settings" aria-current={path.startsWith('/settings') ? 'page' : undefined}>
              Settings
            </a>
          )}
          <a href="/pollers" aria-current={path === '/pollers' ? 'page' : undefined}>
            Pollers
          </a>
          <a href="/?kiosk=1">Wall screen</a>
        </nav>
        <LiveIndicator />
        <span class="who">
          <span title={user.email}>{user.name || user.email}</span> <span class="muted">({user.role})</span>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <ConnectionBanner />
      <div id="content" tabIndex={-1}>
        {page}
      </div>
    </>
  );
}

function TicketCount() {
  const store = useLive();
  const n = store.tickets.size;
  return n > 0 ? (
    <span class="pill" aria-label={`${n} open`}>
      {n}
    </span>
  ) : null;
}

function LiveIndicator() {
  const store = useLive();
  const state = store.connection;
  const text = state === 'live' ? 'live' : state === 'lost' ? 'offline' : 'connecting';
  return (
    <span class={`live-ind ${state}`} role="status" aria-label={`Live updates: ${text}`}>
      <span aria-hidden="true">{state === 'live' ? '●' : state === 'lost' ? '○' : '◌'}</span> {text}
    </span>
  );
}

// signed in already (a reload): open the live feed before the first render, not after it
if (session.token()) live.start();
const root = document.getElementById('app')!;
interceptLinks(root);
render(<App />, root);
