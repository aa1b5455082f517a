/**
 * One replenishment worker per app, started the first time a screen asks for the plan (the Reorder
 * screen), never at start: neither the worker nor comlink is in the first screen's JS. It is started
 * again when the books are replaced (a refold by another valuation method).
 */
import { useEffect, useReducer } from 'preact/hooks';
import type { LocalProjection } from '../../db/projection.ts';
import type { AppContext } from '../app-context.ts';
import { useProjection } from '../hooks/index.ts';
import { ReplenishBridge, type PlanState } from './replenish-bridge.ts';

export type { PlanState } from './replenish-bridge.ts';

const kept = new WeakMap<AppContext, { projection: LocalProjection; bridge: ReplenishBridge }>();

/** The app's bridge for its current projection. */
export function replenishmentOf(app: AppContext, projection: LocalProjection): ReplenishBridge {
  const current = kept.get(app);
  if (current?.projection === projection) return current.bridge;
  current?.bridge.dispose();
  const bridge = new ReplenishBridge({ dbName: app.db.name, projection });
  kept.set(app, { projection, bridge });
  return bridge;
}

/** The plan, re-rendering when a new one arrives; 'working' while the books or the first plan are made. */
export function useReplenishmentPlan(app: AppContext): PlanState {
  const projection = useProjection(app);
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const bridge = projection ? replenishmentOf(app, projection) : null;
  useEffect(() => {
    if (!bridge) return;
    const stop = bridge.onChange(() => bump(undefined));
    // A phone left on this screen overnight: back in front, it plans for the new day.
    const onVisible = () => {
      if (document.visibilityState === 'visible') bridge.refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [bridge]);
  return bridge?.state ?? { kind: 'working' };
}
