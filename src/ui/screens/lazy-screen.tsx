/**
 * A screen whose code loads the first time it is opened, so the first screen (Sell) does not pay for
 * every other screen. The service worker precaches the chunks, so this works offline too.
 */
import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';

type ScreenComponent = ComponentType<{ app: AppContext }>;

/** Draws the screen (loading its code first if need be). */
export interface LazyScreen {
  (app: AppContext): ComponentChildren;
  /**
   * Starts loading the screen's code now, before it is drawn: the screen the app opens on asks for
   * its code with the app's own, not after the database has opened (issue 19). A failure here is
   * not shown: drawing the screen asks again and says what to do.
   */
  preload(): void;
}

export function lazyScreen(load: () => Promise<ScreenComponent>): LazyScreen {
  let loading: Promise<ScreenComponent> | null = null;
  let loaded: ScreenComponent | null = null;

  /** One load at a time; a failed one is forgotten, so the next asks again (e.g. once online). */
  function start(): Promise<ScreenComponent> {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    );
    return loading;
  }

  function LazyScreen({ app }: { app: AppContext }) {
    const [Screen, setScreen] = useState<ScreenComponent | null>(() => loaded);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (Screen) return;
      start().then(
        (component) => setScreen(() => component),
        () => setError('This screen could not be loaded. Open the app once while online so it is stored on this device, then try again.'),
      );
    }, [Screen]);
    if (error)
      return (
        <p class="screen error" role="alert">
          {error}
        </p>
      );
    return Screen ? (
      <Screen app={app} />
    ) : (
      <p class="screen" role="status">
        Loading…
      </p>
    );
  }
  const render = (app: AppContext) => <LazyScreen app={app} />;
  return Object.assign(render, { preload: () => void start().catch(() => undefined) });
}
