import { liveQuery } from 'dexie';
import { useEffect, useReducer, useState } from 'preact/hooks';
import type { LocalProjection } from '../../db/projection.ts';
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
