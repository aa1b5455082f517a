/**
 * A screen whose code loads the first time it is opened, so the first screen (Sell) does not pay for
 * every other screen. The service worker precaches the chunks, so this works offline too.
 */
import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';

type ScreenComponent = ComponentType<{ app: AppContext }>;

export function lazyScreen(load: () => Promise<ScreenComponent>): (app: AppContext) => ComponentChildren {
  let loading: Promise<ScreenComponent> | null = null;
  let loaded: ScreenComponent | null = null;

  function LazyScreen({ app }: { app: AppContext }) {
    const [Screen, setScreen] = useState<ScreenComponent | null>(() => loaded);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (Screen) return;
      loading ??= load().then((component) => (loaded = component));
      loading.then(
        (component) => setScreen(() => component),
        () => {
          loading = null;
          setError('This screen could not be loaded. Open the app once while online so it is stored on this device, then try again.');
        },
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
  return (app) => <LazyScreen app={app} />;
}
