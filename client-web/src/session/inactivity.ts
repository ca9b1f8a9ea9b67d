// The inactivity lock: after `timeoutMs` without any activity, `onIdle` runs once. The clock
// is injected, so the unit tests drive time by hand instead of sleeping.

export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** 5 minutes on a shared computer, 30 otherwise: the same idle lifetimes as the server's sessions. */
export const SHARED_TIMEOUT_MS = 5 * 60 * 1000;
export const PERSONAL_TIMEOUT_MS = 30 * 60 * 1000;

export function idleTimeoutMs(shared: boolean): number {
  return shared ? SHARED_TIMEOUT_MS : PERSONAL_TIMEOUT_MS;
}

export interface InactivityTimer {
  /** Some activity: the countdown starts again (cheap: called on every key press). */
  touch(): void;
  /** Checks now (e.g. when the tab comes back after the device slept). */
  check(): void;
  stop(): void;
}

export function startInactivityTimer(options: {
  timeoutMs: number;
  onIdle: () => void;
  clock?: Clock;
}): InactivityTimer {
  const { timeoutMs, onIdle } = options;
  const clock = options.clock ?? browserClock;
  let last = clock.now();
  let handle: unknown;
  let done = false;

  const schedule = (ms: number) => {
    handle = clock.setTimeout(check, Math.max(0, ms));
  };
  function check() {
    if (done) return;
    clock.clearTimeout(handle);
    const idle = clock.now() - last;
    if (idle >= timeoutMs) {
      done = true;
      onIdle();
    } else {
      schedule(timeoutMs - idle);
    }
  }
  schedule(timeoutMs);

  return {
    touch() {
      if (!done) last = clock.now();
    },
    check,
    stop() {
      done = true;
      clock.clearTimeout(handle);
    },
  };
}
