import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { lock, unlocked } from '../session';
import { idleTimeoutMs, startInactivityTimer } from '../session/inactivity';
import { ROUTES } from './routes';

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'] as const;

/** While the coffre is open: closes it after the idle time, and goes to the sign-in page. */
export function InactivityLock() {
  const { route } = useLocation();
  const session = unlocked.value;
  useEffect(() => {
    if (!session) return;
    const timer = startInactivityTimer({
      timeoutMs: session.idleMinutes ? session.idleMinutes * 60_000 : idleTimeoutMs(session.shared),
      onIdle: () => {
        lock('idle');
        route(ROUTES.unlock);
      },
    });
    const touch = () => timer.touch();
    const onVisible = () => {
      if (document.visibilityState === 'visible') timer.check();
    };
    for (const type of ACTIVITY) document.addEventListener(type, touch, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      timer.stop();
      for (const type of ACTIVITY) document.removeEventListener(type, touch, { capture: true });
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [session, route]);
  return null;
}
