/**
 * The forecaster's contract (issue 16): a demand series in, a forecast per period out. The same code
 * runs in the browser's worker (days), the `forecast:csv` command and the benchmark (any period).
 */

/**
 * Units demanded per period, oldest first. `null` is a period that was not observed: before the
 * series has data, or a day that ended with an empty shelf and sold nothing (a zero sale on an empty
 * shelf is not zero demand). Methods skip unobserved periods rather than read them as zero.
 */
export type DemandSeries = readonly (number | null)[];

/** Syntetos–Boylan classes, by average inter-demand interval (ADI, cut 1.32) and CV² of demand sizes (cut 0.49). */
export type DemandClass = 'smooth' | 'intermittent' | 'lumpy' | 'erratic';

/** The method chosen for a series; what each means is in forecasting/README (written with the code). */
export type ForecastMethod = 'ses' | 'sba' | 'tsb' | 'croston' | 'moving-average' | 'zero' | 'combination';

export interface ForecastOptions {
  /** How many periods ahead to forecast. */
  horizon: number;
  /**
   * Periods in a season whose profile may be applied where the history shows one: 7 for daily series
   * (a weekly profile); undefined for none. The forecaster decides whether the history shows one.
   */
  seasonLength?: number;
}

export type Forecast =
  /** Nothing to forecast from: no observed period at all. `reason` is a sentence for the owner. */
  | { kind: 'none'; reason: string }
  | {
      kind: 'forecast';
      method: ForecastMethod;
      /** Undefined while the history has fewer than two periods with demand (no interval to measure). */
      demandClass: DemandClass | undefined;
      /** Average inter-demand interval and squared coefficient of variation of non-zero demand sizes. */
      adi: number | undefined;
      cv2: number | undefined;
      /** Expected demand in each of the next `horizon` periods, never negative. */
      perPeriod: number[];
      /**
       * The seasonal factors applied (mean 1), when a profile was found; undefined otherwise.
       * Aligned with the forecast: `profile[k]` is the factor of `perPeriod[k]` (and of every
       * `seasonLength`-th period after it).
       */
      profile: number[] | undefined;
      /**
       * How wrong the method was lately: its one-step forecasts over the last `periods` observed
       * periods against what happened. MAE in units; RMSSE scaled by the in-sample naive error
       * (undefined where that scale is 0). Undefined when the history is too short to say.
       */
      recentError: { periods: number; mae: number; rmsse: number | undefined } | undefined;
      /** A sentence for the owner where the forecast needs one (e.g. "Nothing sold in …, so the forecast is 0."). */
      note?: string;
    };
