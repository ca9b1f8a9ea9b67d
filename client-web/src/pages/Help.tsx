import { t } from '../i18n';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { Lines, Section } from '../ui/Section';

const KEYS = ['help-keys-card', 'help-keys-passkey', 'help-keys-passphrase'];

export function Help() {
  return (
    <Page titleId="help-title">
      <p class="lead">{t('help-lead')}</p>

      <Section titleId="help-create-title" icon="help">
        <Lines ids={['help-create-1', 'help-create-2', 'help-create-3']} />
      </Section>

      <Section titleId="help-keys-title" icon="key">
        <p>{t('help-keys-intro')}</p>
        <ul>
          {KEYS.map((id) => (
            <li key={id}>{t(id)}</li>
          ))}
        </ul>
      </Section>

      <Section titleId="help-lost-title" icon="alert">
        <Lines ids={['help-lost-1', 'help-lost-2', 'help-lost-3']} />
      </Section>

      <Section titleId="help-who-title" icon="eye">
        <Lines ids={['help-who-1', 'help-who-2', 'help-who-3', 'help-who-4']} />
        <p class="note note-warning with-icon">
          <Icon name="alert" />
          <span>{t('help-who-5')}</span>
        </p>
      </Section>

      <Section titleId="help-more-title" icon="help">
        <Lines ids={['help-more-1']} />
      </Section>
    </Page>
  );
}
