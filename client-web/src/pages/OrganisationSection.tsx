// The coffre home's entry to organisations (docs/design/organisations-screens.md): on a
// professional's account, « Mon organisation » for each organisation it belongs to, and
// « Continuer : créer l'organisation » while a founding link waits in this tab; on the admin's
// account, the organisations screen. Its strings are the organisation screens' own, loaded
// with this section on those two kinds of account only.
import { useEffect, useState } from 'preact/hooks';
import { type Membership, organisationsApi } from '../organisations/api';
import { foundingToken } from '../organisations/founding';
import { ORG_PATHS } from '../organisations/paths';
import { stringsReady, t } from '../organisations/strings';
import { Section } from '../organisations/ui';
import type { Unlocked } from '../session';
import { Icon } from '../ui/Icon';

export function OrganisationSection({ session }: { session: Unlocked }) {
  const [mine, setMine] = useState<Membership[]>([]);
  const professional = session.role === 'professional';
  useEffect(() => {
    if (!professional) return;
    organisationsApi
      .mine()
      .then(({ organisations }) => setMine(organisations))
      .catch(() => setMine([]));
  }, [session, professional]);
  // The entries' strings come with the organisation screens' (not the first load's).
  if ((session.role !== 'admin' && !professional) || !stringsReady()) return null;
  if (session.role === 'admin')
    return (
      <Section title={t('home-org-admin')} icon="identity">
        <div class="actions">
          <a class="button button-primary" href={ORG_PATHS.admin}>
            <Icon name="identity" />
            <span>{t('home-org-admin')}</span>
          </a>
        </div>
      </Section>
    );
  const pending = professional && foundingToken() !== null;
  if (!professional || (mine.length === 0 && !pending)) return null;
  return (
    <Section title={t('home-org-admin')} icon="identity">
      <div class="actions actions-column">
        {pending && (
          <a class="button button-primary" href={ORG_PATHS.found}>
            <Icon name="forward" />
            <span>{t('home-org-continue')}</span>
          </a>
        )}
        {mine.map((m) => (
          <a
            key={m.organisation}
            class="button button-secondary"
            href={`${ORG_PATHS.organisation}?id=${encodeURIComponent(m.organisation)}`}
          >
            <Icon name="identity" />
            <span>{t('home-org-mine', { name: m.name })}</span>
          </a>
        ))}
      </div>
    </Section>
  );
}
