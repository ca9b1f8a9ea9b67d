import { t as appT } from '../i18n';
import { screenStrings } from '../i18n/screen-strings';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { Lines, Section } from '../ui/Section';

// The help page's strings are loaded with it (src/i18n/screens/help-LOCALE.ftl).
const strings = screenStrings(
  'help',
  import.meta.glob<string>('../i18n/screens/help-*.ftl', { query: '?raw', import: 'default' }),
  { t: appT },
);
const t = strings.t;
/** Loads the help strings of `locale` (tests render the page once they are here). */
export const loadHelpStrings = strings.load;

const CREATE_STEPS = [
  'help-create-step-1',
  'help-create-step-2',
  'help-create-step-3',
  'help-create-step-4',
  'help-create-step-5',
];
const KEYS = ['help-keys-card', 'help-keys-passphrase', 'help-keys-passkey'];

function List({ ids, ordered = false }: { ids: readonly string[]; ordered?: boolean }) {
  const items = ids.map((id) => <li key={id}>{t(id)}</li>);
  return ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
}

export function Help() {
  if (!strings.ready()) return null;
  return (
    <Page titleId="help-title" translate={t}>
      <p class="lead">{t('help-lead')}</p>

      <Section translate={t} titleId="help-create-title" icon="help">
        <Lines translate={t} ids={['help-create-1', 'help-create-2', 'help-create-3']} />
        <p>{t('help-create-steps')}</p>
        <List ids={CREATE_STEPS} ordered />
      </Section>

      <Section translate={t} titleId="help-back-title" icon="lock">
        <Lines translate={t} ids={['help-back-1', 'help-back-2', 'help-back-3', 'help-back-4']} />
      </Section>

      <Section translate={t} titleId="help-keys-title" icon="key">
        <p>{t('help-keys-intro')}</p>
        <List ids={KEYS} />
      </Section>

      <Section translate={t} titleId="help-papers-title" icon="papers">
        <Lines
          translate={t}
          ids={['help-papers-1', 'help-papers-2', 'help-papers-3', 'help-papers-4', 'help-papers-5']}
        />
      </Section>

      <Section translate={t} titleId="help-show-title" icon="eye">
        <Lines translate={t} ids={['help-show-1', 'help-show-2', 'help-show-3', 'help-show-4']} />
      </Section>

      <Section translate={t} titleId="help-offline-title" icon="phone">
        <Lines translate={t} ids={['help-offline-1', 'help-offline-2', 'help-offline-3', 'help-offline-4']} />
      </Section>

      <Section translate={t} titleId="help-mandates-title" icon="key">
        <Lines
          translate={t}
          ids={['help-mandates-1', 'help-mandates-2', 'help-mandates-3', 'help-mandates-4', 'help-mandates-5']}
        />
      </Section>

      <Section translate={t} titleId="help-locked-title" icon="alert">
        <Lines translate={t} ids={['help-locked-1', 'help-locked-2', 'help-locked-3', 'help-locked-4']} />
      </Section>

      <Section translate={t} titleId="help-lost-title" icon="alert">
        <Lines translate={t} ids={['help-lost-1', 'help-lost-2', 'help-lost-3', 'help-lost-4', 'help-lost-5']} />
      </Section>

      <Section translate={t} titleId="help-shared-title" icon="logout">
        <Lines translate={t} ids={['help-shared-1', 'help-shared-2', 'help-shared-3', 'help-shared-4']} />
      </Section>

      <Section translate={t} titleId="help-who-title" icon="eye">
        <Lines translate={t} ids={['help-who-1', 'help-who-2', 'help-who-3', 'help-who-4']} />
        <p class="note note-warning with-icon">
          <Icon name="alert" />
          <span>{t('help-who-5')}</span>
        </p>
      </Section>

      <Section translate={t} titleId="help-more-title" icon="help">
        <Lines translate={t} ids={['help-more-1']} />
      </Section>
    </Page>
  );
}
