// The coffre home's entry to mandates: give one, the list of those given, « Mon code » (for
// whoever may receive one) and, on a professional's account, the people they help.
import { t } from '../i18n';
import type { Unlocked } from '../session';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { Section } from '../ui/Section';

export function MandatesSection({ session }: { session: Unlocked }) {
  return (
    <Section titleId="home-mandates-title" icon="key">
      <p>{t('home-mandates-1')}</p>
      <div class="actions actions-column">
        {/* A professional's account is for this; a relative may be given a mandate too. */}
        <a
          class={session.role === 'professional' ? 'button button-primary' : 'button button-secondary'}
          href={ROUTES.helped}
        >
          <Icon name="papers" />
          <span>{t('home-mandates-helped')}</span>
        </a>
        <a class="button button-secondary" href={ROUTES.giveMandate}>
          <Icon name="plus" />
          <span>{t('home-mandates-give')}</span>
        </a>
        <a class="button button-secondary" href={ROUTES.mandates}>
          <Icon name="papers" />
          <span>{t('home-mandates-list')}</span>
        </a>
        <a class="button button-secondary" href={ROUTES.myCode}>
          <Icon name="eye" />
          <span>{t('home-mandates-code')}</span>
        </a>
      </div>
    </Section>
  );
}
