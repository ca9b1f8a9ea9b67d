// /admin/organisations: the instance admin makes an organisation and gets its one-time
// founding link (text, copy button, QR code) to give the founding responsable in person; the
// list shows counts only (members, mandates in force), never who is followed nor papers.
import { useEffect, useState } from 'preact/hooks';
import { QrCode } from '../carte/QrCode';
import { dateText } from '../mandates/common';
import { NeedsOpen } from '../pages/paper-common';
import { type Unlocked, unlocked } from '../session';
import { describedBy, ErrorText } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { type AdminOrganisation, organisationsApi } from './api';
import { stringsReady, t } from './strings';
import { orgProblem, Page, Section, Working } from './ui';

const HOURS = [24, 72, 168, 720] as const;

export default function AdminOrganisations() {
  const session = unlocked.value;
  if (!stringsReady()) return null;
  if (!session) return <NeedsOpen />;
  return <Shown session={session} />;
}

interface Made {
  name: string;
  link: string;
  expires: number;
}

function Shown({ session }: { session: Unlocked }) {
  const [list, setList] = useState<AdminOrganisation[] | null>(null);
  const [listError, setListError] = useState<unknown>(null);
  const [made, setMade] = useState<Made | null>(null);
  const reload = () =>
    organisationsApi
      .adminList()
      .then(({ organisations }) => setList(organisations))
      .catch(setListError);
  useEffect(() => {
    void reload();
  }, [session]);
  return (
    <Page titleId="admin-orgs-title">
      <p>{t('admin-orgs-1')}</p>
      <p>{t('admin-orgs-2')}</p>
      <NewOrganisation
        onMade={(m) => {
          setMade(m);
          void reload();
        }}
      />
      {made && <FoundingLink made={made} />}
      <Section title={t('admin-orgs-list-title')} icon="papers">
        <p>{t('admin-orgs-privacy')}</p>
        {listError !== null && <ErrorText id="admin-orgs-list-error">{orgProblem(listError)}</ErrorText>}
        {list === null && listError === null && <Working messageId="org-loading" />}
        {list?.length === 0 && <p id="admin-orgs-none">{t('admin-orgs-none')}</p>}
        {list && list.length > 0 && (
          <ul class="org-list" aria-label={t('admin-orgs-list-title')}>
            {list.map((o) => (
              <li key={o.organisation}>
                <h3>{o.name}</h3>
                <p>{t(o.founded ? 'admin-orgs-founded' : 'admin-orgs-not-founded')}</p>
                <p>{t('admin-orgs-counts', { members: o.members, mandates: o.mandates_in_force })}</p>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('admin-orgs-invite-title')} icon="identity">
        <p>{t('admin-orgs-invite-1')}</p>
      </Section>
      <div class="actions">
        <a class="button button-secondary" href={ROUTES.coffre}>
          <Icon name="back" />
          <span>{t('org-back')}</span>
        </a>
      </div>
    </Page>
  );
}

function NewOrganisation({ onMade }: { onMade: (m: Made) => void }) {
  const [name, setName] = useState('');
  const [hours, setHours] = useState<number>(72);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (name.trim() === '') {
      setError(t('admin-orgs-name-empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const made = await organisationsApi.adminCreate(name.trim(), hours);
      onMade({ name: made.name, link: made.link, expires: made.expires });
      setName('');
    } catch (err) {
      setError(orgProblem(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t('admin-orgs-new-title')} icon="plus">
      <form class="form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for="org-name">{t('admin-orgs-name')}</label>
          <p id="org-name-hint" class="hint">
            {t('admin-orgs-name-hint')}
          </p>
          <input
            id="org-name"
            class="input"
            type="text"
            maxLength={120}
            autocomplete="off"
            value={name}
            disabled={busy}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={describedBy('org-name-hint', error && 'org-name-error')}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="org-hours">{t('admin-orgs-hours')}</label>
          <select
            id="org-hours"
            class="input"
            value={String(hours)}
            disabled={busy}
            onChange={(e) => setHours(Number(e.currentTarget.value))}
          >
            {HOURS.map((h) => (
              <option key={h} value={String(h)}>
                {t(`admin-orgs-hours-${h}`)}
              </option>
            ))}
          </select>
        </div>
        {error && <ErrorText id="org-name-error">{error}</ErrorText>}
        {busy ? (
          <Working messageId="admin-orgs-creating" />
        ) : (
          <div class="actions">
            <button type="submit" class="button button-primary">
              <Icon name="plus" />
              <span>{t('admin-orgs-create')}</span>
            </button>
          </div>
        )}
      </form>
    </Section>
  );
}

function FoundingLink({ made }: { made: Made }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => setCopied(null), [made.link]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(made.link);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Section title={t('admin-orgs-link-title', { name: made.name })} icon="key">
      <p>{t('admin-orgs-link-1')}</p>
      <p>{t('admin-orgs-link-2', { date: dateText(made.expires) })}</p>
      <p class="org-link" id="org-link" dir="ltr" translate={false}>
        {made.link}
      </p>
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={() => void copy()}>
          <Icon name="check" />
          <span>{t('admin-orgs-copy')}</span>
        </button>
      </div>
      {copied === 'yes' && (
        <p role="status" id="org-link-copied">
          {t('admin-orgs-copied')}
        </p>
      )}
      {copied === 'failed' && <ErrorText id="org-link-copy-failed">{t('admin-orgs-copy-failed')}</ErrorText>}
      <div class="fingerprint-qr">
        <QrCode text={made.link} label={t('admin-orgs-link-qr', { name: made.name })} />
      </div>
    </Section>
  );
}
