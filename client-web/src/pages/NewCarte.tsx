// /coffre/nouvelle-carte: "ma carte est perdue, volée ou photographiée". From the unlocked
// coffre (signed in another way, or with the carte before someone else uses it), a new
// owner epoch: a new carte printed and scanned back, new six words shown once; the old
// carte and the old six words stop opening anything, every other device is signed out.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api } from '../api';
import { carteBody, type MadeEpoch, makeNewEpoch } from '../coffre/epoch';
import { b64encode } from '../crypto/encoding';
import { wrapSeedPassphraseInWorker } from '../crypto/passphrase-rpc';
import { ownerSeedPayload, Passphrase, passphraseAuthKey, signAuthChallenge } from '../crypto/unlock';
import { t } from '../i18n';
import { appendOwnerEntry } from '../journal';
import { openSession, type Unlocked, unlocked } from '../session';
import { ErrorText, useFocusOnStep, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { ROUTES } from '../ui/routes';
import { Lines } from '../ui/Section';
import { CarteStep, PinStep, ScanStep, useForgetOnLeave } from './Create';
import { problemText } from './messages';
import { passphraseWorker } from './signin';

type Step = 'intro' | 'pin' | 'making' | 'carte' | 'scan' | 'words' | 'sending';

export default function NewCarte() {
  const session = unlocked.value;
  if (!session) {
    return (
      <Page titleId="home-locked-title">
        <p>{t('home-locked-1')}</p>
        <div class="actions">
          <a class="button button-primary" href={ROUTES.unlock}>
            {t('home-locked-open')}
          </a>
        </div>
      </Page>
    );
  }
  return <Flow session={session} />;
}

function Flow({ session }: { session: Unlocked }) {
  const { route } = useLocation();
  const [step, setStep] = useState<Step>('intro');
  const [pin, setPin] = useState('');
  const [made, setMade] = useState<MadeEpoch | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useFocusOnStep(step);
  useForgetOnLeave(made);
  const go = (next: Step) => {
    setError(null);
    setStep(next);
  };

  const make = async () => {
    go('making');
    try {
      const [instance, info] = await Promise.all([api.instance(), api.coffre()]);
      setMade(await makeNewEpoch(session, info, instance.now));
      go('carte');
    } catch (e) {
      setError(problemText(e));
    }
  };

  const send = async (m: MadeEpoch) => {
    go('sending');
    const worker = passphraseWorker();
    const words = Passphrase.parse(m.words);
    const authKey = passphraseAuthKey(words);
    try {
      const wordsWrap = await wrapSeedPassphraseInWorker(worker, ownerSeedPayload(m.coffre, m.epoch, m.seed), words);
      const [{ nonce: carteNonce }, { nonce: wordsNonce }] = await Promise.all([api.nonce(), api.nonce()]);
      await api.changeEpoch({
        succession: b64encode(m.succession),
        rewraps: m.rewraps,
        categories: m.categories,
        carte: carteBody(m, pin, carteNonce),
        passphrase: {
          auth_key: authKey.publicB64,
          wrap: b64encode(wordsWrap),
          nonce: wordsNonce,
          signature: signAuthChallenge(authKey, m.instance, wordsNonce),
        },
      });
      const next: Unlocked = { ...session, epoch: m.epoch, seed: m.seed, keys: m.keys, factor: 'carte' };
      openSession(next);
      await appendOwnerEntry(next, 'carte_revoked', { factor: 'carte' });
      route(`${ROUTES.coffre}?nouvelle-carte=1`);
    } catch (e) {
      setError(problemText(e));
    } finally {
      authKey.destroy();
      worker.terminate();
    }
  };

  if (step === 'intro')
    return (
      <Page titleId="newcarte-title">
        <Lines ids={['newcarte-1', 'newcarte-2', 'newcarte-3', 'newcarte-4']} />
        <div class="actions">
          <button type="button" class="button button-primary" onClick={() => go('pin')}>
            <span>{t('newcarte-start')}</span>
            <Icon name="forward" />
          </button>
          <a class="button button-secondary" href={ROUTES.coffre}>
            {t('newcarte-cancel')}
          </a>
        </div>
      </Page>
    );
  if (step === 'pin') return <PinStep pin={pin} setPin={setPin} onBack={() => go('intro')} onNext={make} />;
  if (step === 'making' || step === 'sending' || !made)
    return (
      <Page titleId={step === 'sending' ? 'newcarte-sending-title' : 'create-making-title'}>
        {error ? (
          <>
            <ErrorText id="newcarte-error">{error}</ErrorText>
            <div class="actions">
              <button
                type="button"
                class="button button-primary"
                onClick={() => (step === 'sending' && made ? send(made) : make())}
              >
                {t('create-retry')}
              </button>
            </div>
          </>
        ) : (
          <Working messageId="create-making-1" />
        )}
      </Page>
    );
  if (step === 'carte')
    return (
      <CarteStep
        identity={made.carte.identity}
        name=""
        site={made.instance}
        shared={session.shared}
        onNext={() => go('scan')}
      />
    );
  if (step === 'scan')
    return (
      <ScanStep
        expected={made.carte.identity}
        error={error}
        setError={setError}
        onMatch={() => go('words')}
        onBack={() => go('carte')}
      />
    );
  return (
    <Page titleId="newcarte-words-title">
      <Lines ids={['newcarte-words-1', 'newcarte-words-2']} />
      <ol class="passphrase" lang="fr" dir="ltr" translate={false} aria-label={t('home-words-list')}>
        {made.words.split(' ').map((word, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a word can come twice; the order is the key
          <li key={i}>{word}</li>
        ))}
      </ol>
      <div class="field field-check">
        <input
          id="newcarte-words-done"
          type="checkbox"
          checked={confirmed}
          onChange={(e) => setConfirmed(e.currentTarget.checked)}
        />
        <label for="newcarte-words-done">{t('home-words-confirm')}</label>
      </div>
      {error && <ErrorText id="newcarte-error">{error}</ErrorText>}
      <div class="actions">
        <button
          type="button"
          class="button button-primary"
          onClick={() => (confirmed ? send(made) : setError(t('home-words-confirm-error')))}
        >
          {t('newcarte-finish')}
        </button>
      </div>
    </Page>
  );
}
