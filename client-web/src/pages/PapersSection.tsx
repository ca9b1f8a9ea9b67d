// "Mes papiers" on the coffre's home: the ten categories, each with its icon and colour, a
// link to its papers, and "Ajouter un papier". Nothing is shown from the papers here; once
// the home is drawn, their listing starts ahead of the list screen (`prefetch`).
import { useEffect } from 'preact/hooks';
import { t } from '../i18n';
import { paperStoreFor } from '../paper-store';
import type { Unlocked } from '../session';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { Section } from '../ui/Section';
import { CategoryBadge, categoryName, KNOWN_CATEGORIES } from './paper-common';

export function PapersSection({ session }: { session: Unlocked }) {
  useEffect(() => {
    const timer = setTimeout(() => paperStoreFor(session).prefetch(), 0);
    return () => clearTimeout(timer);
  }, [session]);
  return (
    <Section titleId="home-papers-title" icon="papers">
      <p>{t('home-papers-1')}</p>
      <div class="actions">
        <a class="button button-primary" href={ROUTES.addPaper}>
          <Icon name="plus" />
          <span>{t('papers-add')}</span>
        </a>
        <a class="button button-secondary" href={ROUTES.papers}>
          <Icon name="papers" />
          <span>{t('home-papers-all')}</span>
        </a>
      </div>
      <ul class="category-grid" aria-label={t('home-papers-categories')}>
        {KNOWN_CATEGORIES.map((icon) => (
          <li key={icon}>
            <a class={`category-tile cat-${icon}`} href={`${ROUTES.papers}#categorie-${icon}`}>
              <CategoryBadge icon={icon} />
              <span>{categoryName({ icon, name: '' })}</span>
            </a>
          </li>
        ))}
      </ul>
    </Section>
  );
}
