/**
 * The page's entry. The app's modules come in three imports, each evaluated in a task of its own:
 * Dexie, the database's (the ledger, the app's context) and then the screens' (Preact, the app, the
 * till). Evaluated together they were one 35–55 ms task on a fresh start here, four times that on a
 * phone, and a phone's first start blocked on it (issue 19); Dexie alone is two thirds of the
 * database's. index.html preloads all three, so none waits on the network when its turn comes.
 */
import { yieldToBrowser } from '../db/yield-to-browser.ts';
import './styles.css';
// Every screen's status bar shows a first sync's progress: its rules come with the first paint's.
import './components/sync-progress.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');

async function boot(host: HTMLElement): Promise<void> {
  try {
    await import('dexie');
    await yieldToBrowser();
    const { openAppContext } = await import('./app-context.ts');
    await yieldToBrowser();
    const opening = openAppContext();
    // startApp shows why the database could not be opened; until it waits for it, this is not unhandled.
    opening.catch(() => undefined);
    await yieldToBrowser();
    const { startApp } = await import('./start-app.tsx');
    await startApp(host, opening);
  } catch (error) {
    // The app's own code could not be loaded (startApp shows its own failures).
    const paragraph = (text: string) => Object.assign(document.createElement('p'), { textContent: text });
    const message = document.createElement('div');
    message.className = 'fatal';
    message.setAttribute('role', 'alert');
    message.append(
      Object.assign(document.createElement('h1'), { textContent: 'Perpetua cannot start' }),
      paragraph(error instanceof Error ? error.message : String(error)),
      paragraph('Reload the page; if it fails again, connect to the store\u2019s network once so the app can be downloaded again. No sale has been lost.'),
    );
    host.replaceChildren(message);
  }
}

void boot(root);
