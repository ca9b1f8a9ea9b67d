// A professional's (or the admin's) account page: the account's fingerprint, as five words
// and a QR code, which a person checks face to face before giving a mandate
// (protocol.md section 3, "Fingerprint").

import { QrCode } from '../carte/QrCode';
import { fingerprintQr, fingerprintWords } from '../crypto/keys';
import { t } from '../i18n';
import type { Unlocked } from '../session';
import { Lines, Section } from '../ui/Section';

export function FingerprintSection({ session }: { session: Unlocked }) {
  const fp = session.keys.fingerprint();
  const words = fingerprintWords(fp);
  return (
    <Section titleId="home-fingerprint-title" icon="eye">
      <p class="badge">{t(session.role === 'admin' ? 'home-role-admin' : 'home-role-professional')}</p>
      <Lines ids={['home-fingerprint-1', 'home-fingerprint-2']} />
      <p class="fingerprint-words" lang="fr" dir="ltr" translate={false}>
        {words.split('-').join(' · ')}
      </p>
      <div class="fingerprint-qr">
        <QrCode text={fingerprintQr(fp)} label={t('home-fingerprint-qr')} />
      </div>
    </Section>
  );
}
