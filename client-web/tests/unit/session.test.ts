// The unlocked state and the inactivity lock, with an injected clock (no sleeps).
import { describe, expect, it } from 'vitest';
import { api } from '../../src/api';
import { OwnerKeys } from '../../src/crypto/keys';
import { lastLock, lock, openSession, signOut, unlocked } from '../../src/session';
import { deviceLabel } from '../../src/session/device';
import { type Clock, idleTimeoutMs, startInactivityTimer } from '../../src/session/inactivity';

/** A clock whose time moves only when the test says so. */
function manualClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (run, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, run });
      return id;
    },
    clearTimeout: (id) => {
      timers.delete(id as number);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].run();
    }
    now = until;
  };
  return {
    clock,
    advance,
    pending: () => timers.size,
    setNow: (t: number) => {
      now = t;
    },
  };
}

describe('inactivity timer', () => {
  it('fires once after the timeout without activity', () => {
    const { clock, advance, pending } = manualClock();
    let idle = 0;
    startInactivityTimer({ timeoutMs: 1000, clock, onIdle: () => idle++ });
    advance(999);
    expect(idle).toBe(0);
    advance(1);
    expect(idle).toBe(1);
    advance(10_000);
    expect(idle).toBe(1);
    expect(pending()).toBe(0);
  });

  it('starts again on activity', () => {
    const { clock, advance } = manualClock();
    let idle = 0;
    const timer = startInactivityTimer({ timeoutMs: 1000, clock, onIdle: () => idle++ });
    advance(800);
    timer.touch();
    advance(800);
    expect(idle).toBe(0);
    timer.touch();
    advance(999);
    expect(idle).toBe(0);
    advance(1);
    expect(idle).toBe(1);
  });

  it('check() locks at once when the device slept past the timeout', () => {
    const { clock, setNow } = manualClock();
    let idle = 0;
    const timer = startInactivityTimer({ timeoutMs: 1000, clock, onIdle: () => idle++ });
    setNow(5000); // the timer callback never ran: the tab was asleep
    timer.check();
    expect(idle).toBe(1);
  });

  it('stop() cancels it', () => {
    const { clock, advance, pending } = manualClock();
    let idle = 0;
    const timer = startInactivityTimer({ timeoutMs: 1000, clock, onIdle: () => idle++ });
    timer.stop();
    advance(5000);
    expect(idle).toBe(0);
    expect(pending()).toBe(0);
  });

  it('is 5 minutes on a shared computer, 30 otherwise', () => {
    expect(idleTimeoutMs(true)).toBe(5 * 60_000);
    expect(idleTimeoutMs(false)).toBe(30 * 60_000);
  });
});

describe('session', () => {
  it('lock forgets the keys and the seed, and keeps the CSRF token until sign-out', async () => {
    const seed = new Uint8Array(32).fill(7);
    const keys = OwnerKeys.fromSeed(seed);
    openSession({
      instance: 'https://x',
      coffre: 'c',
      epoch: 0,
      seed,
      keys,
      csrf: 'tok',
      shared: true,
      factor: 'carte',
    });
    expect(unlocked.value?.coffre).toBe('c');
    expect(api.csrf).toBe('tok');
    lock('idle');
    expect(unlocked.value).toBeNull();
    expect(lastLock.value).toBe('idle');
    expect(api.csrf).toBe('tok'); // so that signing in again is not refused
    expect(seed.every((b) => b === 0)).toBe(true);
    // destroyed: it no longer signs with the owner's key
    expect(keys.signing.sign(new Uint8Array(1))).not.toEqual(
      OwnerKeys.fromSeed(new Uint8Array(32).fill(7)).signing.sign(new Uint8Array(1)),
    );
  });
});

describe('sign-out', () => {
  it('forgets the keys and the CSRF token even when the server cannot be reached', async () => {
    const seed = new Uint8Array(32).fill(9);
    openSession({
      instance: 'https://x',
      coffre: 'c',
      epoch: 0,
      seed,
      keys: OwnerKeys.fromSeed(seed),
      csrf: 'tok',
      shared: false,
      factor: 'carte',
    });
    const saved = globalThis.fetch;
    globalThis.fetch = (async () => {
      throw new TypeError('offline');
    }) as typeof fetch;
    try {
      await expect(signOut()).rejects.toMatchObject({ code: 'network' });
    } finally {
      globalThis.fetch = saved;
    }
    expect(unlocked.value).toBeNull();
    expect(lastLock.value).toBe('signed_out');
    expect(api.csrf).toBeUndefined();
    expect(seed.every((b) => b === 0)).toBe(true);
  });
});

describe('device label', () => {
  it('names the browser and the system', () => {
    expect(
      deviceLabel(
        'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
      ),
    ).toBe('Chrome, Android');
    expect(deviceLabel('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(
      'Firefox, Linux',
    );
    expect(
      deviceLabel(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari, iOS');
    expect(
      deviceLabel(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
      ),
    ).toBe('Edge, Windows');
    expect(deviceLabel('')).toBe('?');
  });
});
