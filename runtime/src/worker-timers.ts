// Work that demo code schedules must not outlive its run: a callback that
// loops after the run returned would wedge the worker for every later run.
// The worker's timer functions are wrapped before Python loads; timers set
// while a run is active are cleared when it ends.

type TimerScope = {
  setTimeout: typeof setTimeout;
  setInterval: typeof setInterval;
  clearTimeout: typeof clearTimeout;
  clearInterval: typeof clearInterval;
};

export interface RunTimers {
  /** Start tracking (a run begins). */
  begin(): void;
  /** Clear what the run left behind; returns how many were pending. */
  end(): number;
  /** The real functions, for the runtime's own timers. */
  readonly real: { set: typeof setTimeout; clear: typeof clearTimeout };
}

export function trackTimers(scope: TimerScope): RunTimers {
  const realSetTimeout = scope.setTimeout.bind(scope);
  const realSetInterval = scope.setInterval.bind(scope);
  const realClearTimeout = scope.clearTimeout.bind(scope);
  const realClearInterval = scope.clearInterval.bind(scope);
  const pending = new Set<ReturnType<typeof setTimeout>>();
  let tracking = false;

  scope.setTimeout = ((handler: TimerHandler, delay?: number, ...args: unknown[]) => {
    if (!tracking) return realSetTimeout(handler, delay, ...args);
    const timer = realSetTimeout(
      (...callArgs: unknown[]) => {
        pending.delete(timer);
        if (typeof handler === "function") (handler as (...a: unknown[]) => void)(...callArgs);
      },
      delay,
      ...args,
    );
    pending.add(timer);
    return timer;
  }) as typeof setTimeout;
  scope.setInterval = ((handler: TimerHandler, delay?: number, ...args: unknown[]) => {
    const timer = realSetInterval(handler, delay, ...args);
    if (tracking) pending.add(timer);
    return timer;
  }) as typeof setInterval;
  scope.clearTimeout = ((timer?: ReturnType<typeof setTimeout>) => {
    if (timer !== undefined) pending.delete(timer);
    realClearTimeout(timer);
  }) as typeof clearTimeout;
  scope.clearInterval = ((timer?: ReturnType<typeof setInterval>) => {
    if (timer !== undefined) pending.delete(timer);
    realClearInterval(timer);
  }) as typeof clearInterval;

  return {
    begin() {
      tracking = true;
    },
    end() {
      tracking = false;
      const count = pending.size;
      for (const timer of pending) {
        realClearTimeout(timer);
        realClearInterval(timer);
      }
      pending.clear();
      return count;
    },
    real: { set: realSetTimeout, clear: realClearTimeout },
  };
}
