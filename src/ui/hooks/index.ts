import { liveQuery } from 'dexie';
import { useEffect, useReducer, useState } from 'preact/hooks';
import type { LocalProjection } from '../../db/projection.ts';
import { yieldToBrowser } from '../../db/yield-to-browser.ts';
import type { AppContext } from '../app-context.ts';

/** Re-renders whenever the IndexedDB data the query read changes, in this tab or another. */
export function useLiveQuery<T>(query: () => Promise<T> | T, deps: unknown[], initial: T): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({ next: setValue, error: (e: unknown) => console.error(e) });
    return () => subscription.unsubscribe();
  }, deps);
  return value;
}

export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** The app's projection, re-rendering whenever it changes (a sale, a pull, a rebuild). */
export function useProjection(app: AppContext): LocalProjection | null {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const onChange = () => bump(undefined);
    app.changes.addEventListener('projection', onChange);
    // The projection may have been built between the first render and this effect.
    if (app.projection) onChange();
    return () => app.changes.removeEventListener('projection', onChange);
  }, [app]);
  return app.projection;
}

/** The store's locations, re-rendering when the owner adds or renames one (here or elsewhere). */
export function useLocations(app: AppContext): AppContext['locations'] {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const onChange = () => bump(undefined);
    app.changes.addEventListener('locations', onChange);
    return () => app.changes.removeEventListener('locations', onChange);
  }, [app]);
  return app.locations;
}

/** Whether the in-memory catalog is loaded (it fills in the background after start); re-renders once it is. */
export function useCatalogLoaded(app: AppContext): boolean {
  const [loaded, setLoaded] = useState(app.catalog.loaded);
  useEffect(() => {
    const onCatalog = () => setLoaded(true);
    app.changes.addEventListener('catalog', onCatalog);
    // It may have finished between the first render and this effect.
    if (app.catalog.loaded) onCatalog();
    return () => app.changes.removeEventListener('catalog', onCatalog);
  }, [app]);
  return loaded;
}

/** The store's and this device's settings, re-rendering when either changes (the owner's change arriving by sync, too). */
export function useSettings(app: AppContext): AppContext['settings'] {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const onChange = () => bump(undefined);
    app.changes.addEventListener('settings', onChange);
    return () => app.changes.removeEventListener('settings', onChange);
  }, [app]);
  return app.settings;
}

/**
 * How many of a screen's later parts to draw: none until `ready`, then one more per task, each after
 * a yield to the browser, up to `parts`. A screen whose parts are drawn all at once is one long task
 * on a phone (Today's was ~150 ms unthrottled, issue 19); drawn in turn, the first part paints early
 * and a tap is answered between parts. Parts must come in the page's order, each below the last, so
 * that none pushes down what is already on screen.
 */
export function usePartsInTurn(ready: boolean, parts: number): number {
  const [shown, setShown] = useState(0);
  useEffect(() => {
    if (!ready || shown >= parts) return;
    let cancelled = false;
    void yieldToBrowser().then(() => {
      if (!cancelled) setShown(shown + 1);
    });
    return () => {
      cancelled = true;
    };
  }, [ready, shown, parts]);
  return ready ? shown : 0;
}
