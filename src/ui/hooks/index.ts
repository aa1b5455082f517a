import { liveQuery } from 'dexie';
import { useEffect, useReducer, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
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

/** How far below the screen a part's place may be and still be drawn: enough to be ready as a thumb scrolls to it. */
const PARTS_AHEAD = '0px 0px 240px 0px';

/**
 * How many of a screen's later parts to draw: none until `ready`, then one more per task, each after
 * a yield to the browser, while the place of the next one (`end`, an empty element after the parts
 * drawn so far) is on the screen or within PARTS_AHEAD of it; the rest as the person scrolls to them.
 *
 * Why in turn: a screen drawn all at once was one long task on a phone (Today's was ~150 ms
 * unthrottled, issue 19); in turn, the first part paints early and a tap is answered between parts.
 * Why only when near: on a phone Today's first screen is its figures, and its charts, rankings and
 * stock parts below were drawn for nobody. A first start at 412×823 had 1.7 s of blocking (its
 * tasks' time past 50 ms at 4× CPU, summed) with them and 1.3 s without (median of 6 runs,
 * bench/lighthouse/first-start-tasks.bench.ts). Parts must come in the page's order, each below
 * the last, so that none pushes down what is already on screen.
 */
export function usePartsAsReached(ready: boolean, parts: number, end: RefObject<Element | null>): number {
  const [shown, setShown] = useState(0);
  useEffect(() => {
    if (!ready || shown >= parts) return;
    let cancelled = false;
    let observer: IntersectionObserver | undefined;
    const showNext = () => {
      observer?.disconnect();
      if (!cancelled) setShown(shown + 1);
    };
    void yieldToBrowser().then(() => {
      const place = end.current;
      if (cancelled) return;
      if (place === null) {
        showNext();
        return;
      }
      // Its first report says whether the place is near already; later ones come as it scrolls.
      observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((entry) => entry.isIntersecting)) showNext();
        },
        { rootMargin: PARTS_AHEAD },
      );
      observer.observe(place);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
    };
  }, [ready, shown, parts, end]);
  return ready ? shown : 0;
}
