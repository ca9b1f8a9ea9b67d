// /inscription#TOKEN: a professional's (aidant, responsable) or the instance admin's account,
// opened from a one-time link. The token is read from the fragment (never sent in a request
// line), removed from the address bar, checked, then the same steps as any coffre follow.

import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { t } from '../i18n';
import { ErrorText, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';
import { Lines } from '../ui/Section';
import { CreateAccount, type Invited } from './Create';
import { problemText } from './messages';

/** The token, taken from the fragment once (the address bar then shows none). */
function takeToken(): string | null {
  const token = window.location.hash.slice(1);
  if (token) history.replaceState(history.state, '', window.location.pathname);
  return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

type State = { kind: 'checking' } | { kind: 'bad'; message: string } | { kind: 'ok'; invited: Invited };

export default function Invitation() {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [started, setStarted] = useState(false);
  useEffect(() => {
    const token = takeToken();
    if (!token) {
      setState({ kind: 'bad', message: t('invite-bad-link') });
      return;
    }
    api
      .checkInvitation(token)
      .then(({ role }) => setState({ kind: 'ok', invited: { token, role } }))
      .catch((e) =>
        setState({
          kind: 'bad',
          message: e instanceof ApiError && e.status === 410 ? t('invite-expired') : problemText(e),
        }),
      );
  }, []);

  if (state.kind === 'ok' && started) return <CreateAccount invited={state.invited} />;
  if (state.kind === 'checking')
    return (
      <Page titleId="invite-title">
        <Working messageId="invite-checking" />
      </Page>
    );
  if (state.kind === 'bad')
    return (
      <Page titleId="invite-title">
        <ErrorText id="invite-error">{state.message}</ErrorText>
        <p>{t('invite-ask-new')}</p>
        <div class="actions">
          <a class="button button-secondary" href={ROUTES.welcome}>
            {t('invite-home')}
          </a>
        </div>
      </Page>
    );
  const admin = state.invited.role === 'admin';
  return (
    <Page titleId={admin ? 'invite-admin-title' : 'invite-pro-title'}>
      <Lines ids={admin ? ['invite-admin-1', 'invite-admin-2'] : ['invite-pro-1', 'invite-pro-2', 'invite-pro-3']} />
      <p>{t('invite-same-steps')}</p>
      <div class="actions">
        <button type="button" class="button button-primary" onClick={() => setStarted(true)}>
          <span>{t('invite-start')}</span>
          <Icon name="forward" />
        </button>
      </div>
    </Page>
  );
}
