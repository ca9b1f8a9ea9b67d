// « À signer » on « Mon organisation » (docs/design/organisations-screens.md, "Two
// responsables signing together"): the changes another responsable signed, each checked by
// this browser against the chain it verified, shown plainly (what, who, her five words, who
// asked) with « Signer » / « Refuser »; this responsable's own wait for someone else.
import { useEffect, useState } from 'preact/hooks';
import type { OrgState } from '../crypto/organisation';
import { Words } from '../mandates/common';
import type { Unlocked } from '../session';
import { ErrorText } from '../ui/Form';
import { Icon } from '../ui/Icon';
import {
  type CheckedProposal,
  type Countersigned,
  countersign,
  pendingProposals,
  proposalsAndNews,
  type RequestOutcome,
  refuseProposal,
} from './proposals';
import { t } from './strings';
import { orgProblem, Section, Working } from './ui';

const ACTION_TEXT: Record<string, string> = {
  add_member: 'org-sign-add',
  remove_member: 'org-sign-remove',
  set_role_responsable: 'org-sign-promote',
  set_role_aidant: 'org-sign-demote',
};

const actionText = (p: Pick<CheckedProposal, 'action' | 'member'>) =>
  t(ACTION_TEXT[p.action === 'set_role' ? `set_role_${p.member.role}` : p.action] ?? 'org-sign-add');

/** What became of this responsable's own requests since this device last showed them. */
function News({ news }: { news: RequestOutcome[] }) {
  if (news.length === 0) return null;
  return (
    <div class="org-news" role="status" id="org-news">
      <h3>{t('org-news-title')}</h3>
      <ul class="org-list">
        {news.map((n) => (
          <li key={n.request.proposal}>
            <p>
              <strong>{actionText(n.request)}</strong>
            </p>
            <Words words={n.words} />
            {n.signed ? (
              <>
                <p>{t('org-news-signed')}</p>
                {n.signedBy && <Words words={n.signedBy} />}
              </>
            ) : (
              <p>{t('org-news-dropped')}</p>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function signedText(done: Countersigned, founder: boolean): string {
  if (done.action !== 'remove_member') return t('org-signed');
  if (done.generation !== null) return t('org-signed-key', { generation: done.generation });
  return t(founder ? 'org-signed' : 'org-signed-founder-key');
}

export function ToSign({
  session,
  organisation,
  chain,
  founder,
  onChanged,
}: {
  session: Unlocked;
  organisation: string;
  /** The chain as the page last verified it: read the proposals again when it is read again. */
  chain: OrgState;
  founder: boolean;
  onChanged: (message: string) => Promise<void>;
}) {
  const [list, setList] = useState<CheckedProposal[] | null>(null);
  const [news, setNews] = useState<RequestOutcome[]>([]);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    proposalsAndNews(session, organisation)
      .then(({ pending, news: told }) => {
        setList(pending);
        // Told once: kept on screen until the page is left, even as the chain is read again.
        if (told.length > 0) setNews((before) => [...before, ...told]);
      })
      .catch((e) => setError(e));
  }, [session, organisation, chain]);
  const act = async (p: CheckedProposal, sign: boolean) => {
    setWorking(true);
    setError(null);
    try {
      if (sign) {
        const done = await countersign(session, organisation, p.proposal);
        await onChanged(signedText(done, founder));
      } else {
        await refuseProposal(session, organisation, p.proposal);
        await onChanged(t('org-refused'));
      }
    } catch (e) {
      setError(e);
      setList(await pendingProposals(session, organisation).catch(() => []));
    } finally {
      setWorking(false);
    }
  };
  return (
    <Section title={t('org-sign-title')} icon="check">
      <p>{t('org-sign-1')}</p>
      <News news={news} />
      {error !== null && <ErrorText id="org-sign-error">{orgProblem(error)}</ErrorText>}
      {list === null && error === null && <Working messageId="org-loading" />}
      {list?.length === 0 && <p id="org-sign-none">{t('org-sign-none')}</p>}
      {list && list.length > 0 && (
        <ul class="org-list" aria-label={t('org-sign-title')} id="org-sign-list">
          {list.map((p) => (
            <li key={p.proposal}>
              <h3>{actionText(p)}</h3>
              <p>{t('org-sign-words')}</p>
              <Words words={p.words} />
              <p>{t('org-sign-by')}</p>
              <Words words={p.proposerWords} />
              {p.action === 'remove_member' && <p>{t(founder ? 'org-sign-remove-key' : 'org-sign-remove-founder')}</p>}
              {p.mine ? (
                <p>{t('org-sign-mine')}</p>
              ) : (
                <p>
                  <strong>{t('org-sign-check')}</strong>
                </p>
              )}
              {working ? (
                <Working messageId="org-signing" />
              ) : (
                <div class="actions">
                  {!p.mine && (
                    <button type="button" class="button button-primary" onClick={() => void act(p, true)}>
                      <Icon name="check" />
                      <span>{t('org-sign-yes')}</span>
                    </button>
                  )}
                  <button type="button" class="button button-secondary" onClick={() => void act(p, false)}>
                    <Icon name="close" />
                    <span>{t(p.mine ? 'org-sign-withdraw' : 'org-sign-refuse')}</span>
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
