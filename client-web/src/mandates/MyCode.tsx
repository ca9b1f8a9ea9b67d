// /coffre/mon-code: « Mon code », on the screen of whoever may receive a mandate (an aidant,
// a relative with a Coffre account): a QR code with what the giver needs (this account's id,
// key and recipient), the five words to compare aloud, and the typed form for a giver whose
// camera fails (./code.ts).
import { QrCode } from '../carte/QrCode';
import { fingerprintWords } from '../crypto/keys';
import { NeedsOpen } from '../pages/paper-common';
import { type Unlocked, unlocked } from '../session';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { codeQr, codeTyped, type GranteeCode } from './code';
import { Words } from './common';
import { stringsReady, t } from './strings';
import { Lines, Page, Section } from './ui';

export default function MyCode() {
  const session = unlocked.value;
  if (!stringsReady()) return null;
  if (!session) return <NeedsOpen />;
  return <Shown session={session} />;
}

function Shown({ session }: { session: Unlocked }) {
  const code: GranteeCode = {
    type: 'person',
    id: session.coffre,
    key: session.keys.publicKey,
    recipient: session.keys.recipient,
  };
  const words = fingerprintWords(session.keys.fingerprint());
  return (
    <Page titleId="mycode-title">
      <Lines ids={['mycode-1', 'mycode-2']} />
      <Section titleId="mycode-words-title" icon="eye">
        <p>{t('mycode-words-1')}</p>
        <Words words={words} id="mycode-words" />
      </Section>
      <Section titleId="mycode-qr-title" icon="camera">
        <p>{t('mycode-qr-1')}</p>
        <div class="fingerprint-qr">
          <QrCode text={codeQr(code)} label={t('mycode-qr-label')} />
        </div>
      </Section>
      <Section titleId="mycode-typed-title" icon="keyboard">
        <p>{t('mycode-typed-1')}</p>
        <p class="code-typed" id="mycode-typed" lang="fr" dir="ltr" translate={false}>
          {codeTyped(code).join(' ')}
        </p>
      </Section>
      <div class="actions">
        <a class="button button-secondary" href={ROUTES.coffre}>
          <Icon name="back" />
          <span>{t('mandate-back-home')}</span>
        </a>
      </div>
    </Page>
  );
}
