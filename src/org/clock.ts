// Every timestamp comes from a Clock, so tests and fault injection can control time.
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
