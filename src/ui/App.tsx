import { useEffect, useState } from 'preact/hooks';
import type { Session } from './session.ts';
import { StatusBar } from './components/StatusBar.tsx';
import { SellScreen } from './screens/SellScreen.tsx';
import { StockScreen } from './screens/StockScreen.tsx';
import { SalesScreen } from './screens/SalesScreen.tsx';
import { SettingsScreen } from './screens/SettingsScreen.tsx';

const SCREENS = [
  { id: 'sell', label: 'Sell' },
  { id: 'stock', label: 'Stock' },
  { id: 'sales', label: 'Sales' },
  { id: 'settings', label: 'Settings' },
] as const;
type ScreenId = (typeof SCREENS)[number]['id'];

function screenFromHash(): ScreenId {
  const id = location.hash.replace(/^#\/?/, '');
  return SCREENS.find((s) => s.id === id)?.id ?? 'sell';
}

export function App({ session, updateReady, onUpdate, onSyncNow }: { session: Session; updateReady: boolean; onUpdate(): void; onSyncNow(): void }) {
  const [screen, setScreen] = useState<ScreenId>(screenFromHash);
  useEffect(() => {
    const onHash = () => setScreen(screenFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return (
    <div class="app">
      <header class="top">
        <span class="brand">Perpetua</span>
        <nav aria-label="Screens">
          {SCREENS.map((s) => (
            <a key={s.id} href={`#/${s.id}`} aria-current={screen === s.id ? 'page' : undefined}>
              {s.label}
            </a>
          ))}
        </nav>
      </header>
      <StatusBar session={session} updateReady={updateReady} onUpdate={onUpdate} onSyncNow={onSyncNow} />
      <main id="main">
        {screen === 'sell' && <SellScreen session={session} />}
        {screen === 'stock' && <StockScreen session={session} />}
        {screen === 'sales' && <SalesScreen session={session} />}
        {screen === 'settings' && <SettingsScreen session={session} />}
      </main>
    </div>
  );
}
