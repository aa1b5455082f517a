/**
 * How often the camera loop lets the decoder take its second look (the frame widened 2×, for codes
 * held far away) after the first found nothing. Most camera frames show no code at all, and a
 * second look on each would double their cost; a code held in view stays there for several
 * frames, so it still gets its second look within a few frames. Counting frames rather than
 * measuring time keeps the decoder deterministic.
 */
export class SecondLookCadence {
  private framesWithoutRead = 0;

  constructor(private readonly every: number) {
    if (!Number.isInteger(every) || every < 1) throw new Error('The cadence is a whole number of frames, at least 1.');
  }

  /** True when the next frame may take the second look: every `every`-th frame in a row without a read. */
  due(): boolean {
    return (this.framesWithoutRead + 1) % this.every === 0;
  }

  /** Call once per decoded frame: a read starts the count again. */
  record(read: boolean): void {
    this.framesWithoutRead = read ? 0 : this.framesWithoutRead + 1;
  }
}

/** Every third frame without a read: at 30 fps a code held still gets a second look within 100 ms. */
export const SECOND_LOOK_EVERY = 3;
