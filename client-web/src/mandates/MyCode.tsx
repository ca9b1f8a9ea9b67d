// /coffre/mon-code: « Mon code », on the screen of whoever may receive a mandate (an aidant,
// a relative with a Coffre account): a QR code with what the giver needs (this account's id,
// key and recipient), the five words to compare aloud, and the typed form for a giver whose
// camera fails (./code.ts). A member of an organisation sees its organisation's code first
// (its id and root fingerprint): a mandate to the organisation pins that root.
import { useEffect, useState } from 'preact/hooks';
import { QrCode } from '../carte/QrCode';
import { fingerprint, fingerprintWords } from '../crypto/keys';
import { organisationsApi } from '../organisations/api';
import { NeedsOpen } from '../pages/paper-common';
import { type Unlocked, unlocked } from '../session';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { codeQr, codeTyped, type GranteeCode } from './code';
import { Words } from './common';
import { verifiedOrganisation } from './owner';
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
      <OrganisationCodes session={session} />
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

interface OrgCode {
  organisation: string;
  name: string;
  code: GranteeCode;
  words: string;
}

/**
 * The codes of the organisations this account is a current member of, each chain verified
 * here (this account must be in it) before its root is shown.
 */
function OrganisationCodes({ session }: { session: Unlocked }) {
  const [codes, setCodes] = useState<OrgCode[]>([]);
  useEffect(() => {
    let live = true;
    (async () => {
      const { organisations } = await organisationsApi.mine();
      const out: OrgCode[] = [];
      for (const o of organisations) {
        const { info, state } = await verifiedOrganisation(session, o.organisation);
        if (!state.members.has(session.keys.publicKey)) continue;
        const root = fingerprint(info.root);
        out.push({
          organisation: o.organisation,
          name: info.name,
          code: { type: 'organisation', id: o.organisation, root },
          words: fingerprintWords(root),
        });
      }
      if (live) setCodes(out);
    })().catch((e) => console.warn('organisation codes', e));
    return () => {
      live = false;
    };
  }, [session]);
  return (
    <>
      {codes.map((c) => (
        <section class="section" key={c.organisation}>
          <h2 class="with-icon">
            <Icon name="identity" />
            <span>{t('mycode-org-title', { name: c.name })}</span>
          </h2>
          <p>{t('mycode-org-1')}</p>
          <Words words={c.words} id={`mycode-org-words-${c.organisation}`} />
          <div class="fingerprint-qr">
            <QrCode text={codeQr(c.code)} label={t('mycode-org-qr-label', { name: c.name })} />
          </div>
          <p>{t('mycode-org-typed-1')}</p>
          <p class="code-typed" id={`mycode-org-typed-${c.organisation}`} lang="fr" dir="ltr" translate={false}>
            {codeTyped(c.code).join(' ')}
          </p>
        </section>
      ))}
    </>
  );
}
