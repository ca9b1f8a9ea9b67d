// /organisation/fonder#TOKEN: the founding responsable creates the organisation the admin
// made. The token comes from the fragment (never in a request line), is kept in this tab
// until the account is open (./founding.ts), then the root key is derived on this device,
// the genesis signed and organisation key generation 0 wrapped to the founder (./manage.ts).
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { fingerprint, fingerprintWords } from '../crypto/keys';
import { Words } from '../mandates/common';
import { type Unlocked, unlocked } from '../session';
import { ErrorText } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { organisationsApi } from './api';
import { forgetFoundingToken, foundingToken, keepFoundingToken } from './founding';
import { foundOrganisation, organisationRoot } from './manage';
import { ORG_PATHS } from './paths';
import { stringsReady, t } from './strings';
import { orgProblem, Page, Section, Working } from './ui';

function takeToken(): string | null {
  const token = window.location.hash.slice(1);
  if (token) {
    history.replaceState(history.state, '', window.location.pathname);
    if (/^[A-Za-z0-9_-]{43}$/.test(token)) keepFoundingToken(token);
    else return null;
  }
  return foundingToken();
}

type State =
  | { kind: 'checking' }
  | { kind: 'bad'; message: () => string }
  | { kind: 'ok'; token: string; name: string }
  | { kind: 'working' }
  | { kind: 'done'; name: string; words: string };

export default function Found() {
  const session = unlocked.value;
  const [state, setState] = useState<State>({ kind: 'checking' });
  useEffect(() => {
    const token = takeToken();
    if (!token) {
      setState({ kind: 'bad', message: () => t('found-bad-link') });
      return;
    }
    organisationsApi
      .checkFounding(token)
      .then(({ name }) => setState({ kind: 'ok', token, name }))
      .catch((e) => {
        if (e instanceof ApiError && e.status === 410) forgetFoundingToken();
        setState({
          kind: 'bad',
          message: () => (e instanceof ApiError && e.status === 410 ? t('found-expired') : orgProblem(e)),
        });
      });
  }, []);
  if (!stringsReady()) return null;

  const found = async (s: Unlocked, token: string, name: string) => {
    setState({ kind: 'working' });
    try {
      const { organisation } = await foundOrganisation(s, token, undefined, forgetFoundingToken);
      const root = organisationRoot(s.seed, organisation);
      const words = fingerprintWords(fingerprint(root.publicB64));
      root.destroy();
      setState({ kind: 'done', name, words });
    } catch (e) {
      setState({ kind: 'bad', message: () => orgProblem(e) });
    }
  };

  if (state.kind === 'done')
    return (
      <Page titleId="found-done-title">
        <p role="status">{t('found-done-1', { name: state.name })}</p>
        <Section title={t('org-words-title')} icon="eye">
          <p>{t('found-done-words')}</p>
          <Words words={state.words} id="found-words" />
        </Section>
        <div class="actions">
          <a class="button button-primary" href={ORG_PATHS.organisation}>
            <span>{t('found-go')}</span>
            <Icon name="forward" />
          </a>
        </div>
      </Page>
    );
  return (
    <Page titleId="found-title">
      {state.kind === 'checking' && <Working messageId="found-checking" />}
      {state.kind === 'working' && <Working messageId="found-working" />}
      {state.kind === 'bad' && (
        <>
          <ErrorText id="found-error">{state.message()}</ErrorText>
          <div class="actions">
            <a class="button button-secondary" href={session ? ROUTES.coffre : ROUTES.welcome}>
              <Icon name="back" />
              <span>{t(session ? 'org-back' : 'invite-home')}</span>
            </a>
          </div>
        </>
      )}
      {state.kind === 'ok' && (
        <>
          <p>
            <strong>{t('found-name', { name: state.name })}</strong>
          </p>
          <p>{t('found-1')}</p>
          <p>{t('found-2')}</p>
          {!session && (
            <>
              <p>{t('found-locked-1')}</p>
              <p>{t('found-locked-2')}</p>
              <div class="actions">
                <a class="button button-primary" href={ROUTES.unlock}>
                  <span>{t('found-locked-open')}</span>
                  <Icon name="forward" />
                </a>
              </div>
            </>
          )}
          {session && session.role !== 'professional' && <ErrorText id="found-error">{t('found-not-pro')}</ErrorText>}
          {session && session.role === 'professional' && (
            <div class="actions">
              <button
                type="button"
                class="button button-primary"
                onClick={() => void found(session, state.token, state.name)}
              >
                <Icon name="check" />
                <span>{t('found-start')}</span>
              </button>
            </div>
          )}
        </>
      )}
    </Page>
  );
}
