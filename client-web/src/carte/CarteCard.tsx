import { t } from '../i18n';
import { Icon } from '../ui/Icon';
import { QrCode } from './QrCode';
import { typedGroups } from './typed';

/**
 * The carte Coffre, as printed: the QR code of the whole identity and its typed form. It is
 * only ever in this page's memory; "Imprimer" prints this box alone (see @media print).
 */
export function CarteCard({ identity, name, site }: { identity: string; name: string; site: string }) {
  return (
    <section class="carte" aria-labelledby="carte-heading">
      <h2 id="carte-heading" class="carte-heading with-icon">
        <Icon name="lock" />
        <span>{t('carte-heading')}</span>
      </h2>
      {name && <p class="carte-name">{t('carte-name', { name })}</p>}
      <p class="carte-site">{t('carte-site', { site })}</p>
      <div class="carte-body">
        <QrCode text={identity} label={t('carte-qr-label')} />
        <div class="carte-typed">
          <p class="carte-typed-label">{t('carte-typed-label')}</p>
          <p class="typed" dir="ltr" translate={false}>
            {typedGroups(identity).map((group, i) => (
              <span key={i} class="typed-group">
                {group}
              </span>
            ))}
          </p>
        </div>
      </div>
      <p class="carte-secret with-icon">
        <Icon name="alert" />
        <span>{t('carte-secret')}</span>
      </p>
      <p class="carte-pin">{t('carte-pin-note')}</p>
    </section>
  );
}
