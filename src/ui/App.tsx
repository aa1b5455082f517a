import { useEffect, useState } from 'preact/hooks';
import type { AppContext } from './app-context.ts';
import { StatusBar } from './components/StatusBar.tsx';
import { useCatalogLoaded } from './hooks/index.ts';
import { WriterNotice } from './components/WriterNotice.tsx';
import { RestoredNotice, StartedOverNotice } from './components/RestoredNotice.tsx';
import { ApprovalDialog } from './staff/ApprovalDialog.tsx';
import { routeOf, SCREENS, type ScreenEntry } from './screens/registry.tsx';
import { useStockAlertCount } from './owner/use-stock-alert-count.ts';
import { lazyScreen } from './screens/lazy-screen.tsx';
import { setActor, useStaffLock } from './staff/staff-session.ts';

// Only a store with staff needs it: loaded the first time the till locks.
const lockScreen = lazyScreen(() => import('./staff/LockScreen.tsx').then((m) => m.LockScreen));

function screenFromHash(): string {
  const id = routeOf(location.hash);
  return id === 'more' || SCREENS.some((s) => s.id === id) ? id : 'sell';
}

function MoreMenu({ screens }: { screens: ScreenEntry[] }) {
  return (
    <section class="screen more" aria-labelledby="more-title">
      <h1 id="more-title">More</h1>
      <ul class="more-list">
        {screens.map((s) => (
          <li key={s.id}>
            <a class="more-link" href={`#/${s.id}`}>
              <strong>{s.label}</strong>
              <span>{s.purpose}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function App({ app, updateReady, onUpdate, onSyncNow }: { app: AppContext; updateReady: boolean; onUpdate(): void; onSyncNow(): void }) {
  const [screen, setScreen] = useState<string>(screenFromHash);
  useEffect(() => {
    const onHash = () => setScreen(screenFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const catalogReady = useCatalogLoaded(app);
  const alertCount = useStockAlertCount(app);
  const lock = useStaffLock(app);
  // Sell asks for the catalog after its first tiles are drawn; any other screen needs it at once.
  useEffect(() => {
    if (screen !== 'sell') void app.loadCatalog();
  }, [screen, app]);
  const current = SCREENS.find((s) => s.id === screen);
  // Only Sell works before the catalog is in memory (it falls back to IndexedDB for scans).
  const waitForCatalog = !catalogReady && screen !== 'sell' && screen !== 'more';
  const inMore = screen === 'more' || (current !== undefined && !current.inBar);
  return (
    <>
      <div class="app" inert={lock === 'locked'}>
        <header class="top">
          <span class="brand">Perpetua</span>
          <nav aria-label="Screens">
            {SCREENS.filter((s) => s.inBar).map((s) => (
              <a key={s.id} href={`#/${s.id}`} class={s.id === 'today' ? 'badge-room' : undefined} aria-current={screen === s.id ? 'page' : undefined}>
                {s.label}
                {s.id === 'today' && alertCount > 0 && (
                  <>
                    <span class="nav-badge" aria-hidden="true" data-testid="alert-badge">
                      {alertCount}
                    </span>
                    {/* Read as "Today (3 alerts)": the browser reads the hidden text as a word of its own. */}
                    <span class="visually-hidden">({alertCount === 1 ? '1 alert' : `${alertCount} alerts`})</span>
                  </>
                )}
              </a>
            ))}
            <a href="#/more" aria-current={inMore ? 'page' : undefined}>
              More
            </a>
          </nav>
          {lock === 'signed-in' && app.actor && (
            // One tap locks the till and shows the staff list: switching user is then a name and a PIN.
            <button type="button" class="actor-button" data-testid="actor-button" onClick={() => setActor(app, null)}>
              {app.actor.name} · Switch user
            </button>
          )}
        </header>
        <StatusBar app={app} updateReady={updateReady} onUpdate={onUpdate} onSyncNow={onSyncNow} />
        <WriterNotice app={app} />
        <RestoredNotice report={app.restored} />
        <StartedOverNotice startedOver={app.startedOver} />
        <main id="main">
          {waitForCatalog ? (
            <p class="screen" role="status">
              Loading the catalog…
            </p>
          ) : screen === 'more' ? (
            <MoreMenu screens={SCREENS.filter((s) => !s.inBar)} />
          ) : (
            current?.render(app)
          )}
        </main>
        <ApprovalDialog app={app} />
      </div>
      {lock === 'locked' && <div class="lock-cover">{lockScreen(app)}</div>}
    </>
  );
}
