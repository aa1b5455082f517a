/**
 * PLACEHOLDER (issue 16 contract commit): the planner's shape, so the Reorder screen and its worker
 * can be built against it. It plans nothing yet. Replaced whole by the real planner.
 */
import type { Books } from '../books/index.ts';
import type { LedgerEvent } from '../events.ts';
import type { ReplenishmentPlan, SeriesPlan } from './types.ts';

export type * from './types.ts';

export class ReplenishmentPlanner {
  /** `now`: an ISO instant; the plan is for its business date in the store's time zone. */
  constructor(
    private readonly books: Books,
    private now: string,
  ) {}

  /** Events just applied to the books: only the series they touch are recomputed. */
  update(applied: readonly LedgerEvent[], now: string): void {
    void applied;
    this.now = now;
  }

  plan(): ReplenishmentPlan {
    void this.books;
    return { asOf: this.now.slice(0, 10), series: [], transfers: [], purchases: [] };
  }

  seriesPlan(productId: string, locationId: string): SeriesPlan | undefined {
    void productId;
    void locationId;
    return undefined;
  }
}
