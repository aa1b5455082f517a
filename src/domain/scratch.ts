/**
 * Working arrays reused from one call to the next. Planning a store forecasts 20,000 series in a
 * row (issue 16's 2-second budget), and a fresh typed array per series for every step was a
 * third of a series' time spent allocating and collecting them. Only for an array the caller fills
 * before reading and neither keeps nor returns: the next call gets the same memory.
 */
export class ScratchFloats {
  private buffer = new Float64Array(0);

  /** An array of `length` whose contents are whatever the last caller left. */
  take(length: number): Float64Array {
    if (this.buffer.length < length) this.buffer = new Float64Array(Math.max(length, 2 * this.buffer.length, 64));
    return this.buffer.subarray(0, length);
  }
}

export class ScratchInts {
  private buffer = new Int32Array(0);

  /** An array of `length` whose contents are whatever the last caller left. */
  take(length: number): Int32Array {
    if (this.buffer.length < length) this.buffer = new Int32Array(Math.max(length, 2 * this.buffer.length, 64));
    return this.buffer.subarray(0, length);
  }
}
