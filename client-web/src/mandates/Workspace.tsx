// /coffre/personnes: « Les personnes que j'aide », the workspace of whoever acts under
// mandates (an aidant, a relative). The mandates received, verified here, grouped by person
// (the owner's five words, and the note this browser keeps: the server knows no name); each
// mandate's scope and days left; consulting a démarche (each step an access receipt: the
// key, the list, the paper); renouncing. A paper seen here cannot be deleted nor replaced.
// Depositing opens the add-a-paper screen under the mandate (deposit.ts).
import { useEffect, useState } from 'preact/hooks';
import { zeroize } from '../crypto/encoding';
import { fingerprint as fingerprintFor, fingerprintWords } from '../crypto/keys';
import { categoryName, docTypeName, NeedsOpen } from '../pages/paper-common';
import { usePdfPages } from '../pdf-view/use-pdf';
import { type Unlocked, unlocked } from '../session';
import { ErrorText } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { ROUTES } from '../ui/routes';
import { dateText, mandateProblem, rightsText, Words } from './common';
import {
  categoryKeys,
  type GrantedCategory,
  type GrantedPaperMeta,
  listPapers,
  loadReceived,
  type OpenedGranted,
  openGranted,
  personNote,
  type ReceivedMandate,
  renounce,
  setPersonNote,
} from './grantee';
import { stringsReady, t } from './strings';
import { Lines, Page, Working } from './ui';

export default function Workspace() {
  const session = unlocked.value;
  if (!stringsReady()) return null;
  if (!session) return <NeedsOpen />;
  return <People session={session} />;
}

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; mandates: ReceivedMandate[]; refused: number };

/** The démarches' names, by mandate then category (from the labels the owner sealed to this grantee). */
type Names = ReadonlyMap<string, ReadonlyMap<string, string>>;

function People({ session }: { session: Unlocked }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  // The people are drawn first; their mandate boxes in the next task, so the list shows
  // before the 200 boxes of 40 people are laid out.
  const [boxes, setBoxes] = useState(false);
  const [names, setNames] = useState<Names>(new Map());
  const load = () =>
    loadReceived(session)
      .then(({ mandates, refused }) => setState({ kind: 'ready', mandates, refused: refused.length }))
      .catch((e) => setState({ kind: 'failed', message: mandateProblem(e) }));
  useEffect(() => {
    void load();
  }, [session]);
  useEffect(() => {
    if (state.kind !== 'ready') return;
    let live = true;
    const later = setTimeout(() => live && setBoxes(true), 0);
    // Every démarche named at once: one request, the signatures checked together (deposit.ts).
    import('./deposit')
      .then((d) => d.receivedCategories(session, state.mandates))
      .then((all) => {
        if (!live) return;
        const named = new Map<string, ReadonlyMap<string, string>>();
        for (const [mandate, cs] of all)
          named.set(mandate, new Map(cs.flatMap((c) => (c.label ? [[c.id, categoryName(c.label)] as const] : []))));
        setNames(named);
      })
      .catch(() => undefined);
    return () => {
      live = false;
      clearTimeout(later);
    };
  }, [state]);

  const groups = new Map<string, ReceivedMandate[]>();
  if (state.kind === 'ready') {
    for (const m of state.mandates) groups.set(m.item.coffre, [...(groups.get(m.item.coffre) ?? []), m]);
  }

  return (
    <Page titleId="people-title">
      <Lines ids={['people-1', 'people-2']} />
      {state.kind === 'loading' && <Working messageId="people-loading" />}
      {state.kind === 'failed' && <ErrorText id="people-error">{state.message}</ErrorText>}
      {state.kind === 'ready' && state.refused > 0 && (
        <p role="alert" class="error">
          {t('people-refused', { count: state.refused })}
        </p>
      )}
      {state.kind === 'ready' && groups.size === 0 && <p id="people-none">{t('people-none')}</p>}
      {state.kind === 'ready' && groups.size > 0 && (
        <ul class="mandate-list">
          {[...groups.entries()].map(([coffre, list]) => (
            <Person
              key={coffre}
              session={session}
              mandates={list}
              boxes={boxes}
              names={names}
              onChanged={() => void load()}
            />
          ))}
        </ul>
      )}
      <div class="actions">
        <a class="button button-secondary" href={ROUTES.myCode}>
          <Icon name="eye" />
          <span>{t('home-mandates-code')}</span>
        </a>
        <a class="button button-secondary" href={ROUTES.coffre}>
          <Icon name="back" />
          <span>{t('mandate-back-home')}</span>
        </a>
      </div>
    </Page>
  );
}

function Person({
  session,
  mandates,
  boxes,
  names,
  onChanged,
}: {
  session: Unlocked;
  mandates: ReceivedMandate[];
  /** False while the people are drawn first, without their mandates. */
  boxes: boolean;
  names: Names;
  onChanged: () => void;
}) {
  const first = mandates[0] as ReceivedMandate;
  const ownerKey = first.item.owner_key;
  const [note, setNote] = useState(personNote(session, ownerKey));
  const [draft, setDraft] = useState(note);
  const heading = `person-${first.item.coffre}`;
  const noteId = `note-${first.item.coffre}`;
  return (
    <li aria-labelledby={heading}>
      <h2 id={heading}>{note || t('people-unnamed')}</h2>
      <p>{t('people-words')}</p>
      <Words words={first.ownerWords} />
      {!session.shared && (
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            setPersonNote(session, ownerKey, draft);
            setNote(draft.trim());
          }}
        >
          <div class="field">
            <label for={noteId}>{t('people-note-label')}</label>
            <p id={`${noteId}-hint`} class="hint">
              {t('people-note-hint')}
            </p>
            <input
              id={noteId}
              class="input"
              type="text"
              maxLength={60}
              value={draft}
              aria-describedby={`${noteId}-hint`}
              onInput={(e) => setDraft(e.currentTarget.value)}
            />
          </div>
          <div class="actions">
            <button type="submit" class="button button-secondary button-small">
              {t('people-note-save')}
            </button>
          </div>
        </form>
      )}
      {boxes &&
        mandates.map((m) => (
          <MandateBox
            key={m.item.mandate}
            session={session}
            r={m}
            names={names.get(m.item.mandate) ?? NO_NAMES}
            onChanged={onChanged}
          />
        ))}
    </li>
  );
}

const NO_NAMES: ReadonlyMap<string, string> = new Map();

function MandateBox({
  session,
  r,
  names,
  onChanged,
}: {
  session: Unlocked;
  r: ReceivedMandate;
  /** The category names of this mandate's démarches ("Démarche n sur N" for the others). */
  names: ReadonlyMap<string, string>;
  onChanged: () => void;
}) {
  const { item } = r;
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canConsult = item.rights !== 'deposit';
  const canDeposit = item.rights !== 'consult';
  const download = async () => {
    const { downloadAttestation } = await import('./attestation');
    const g = r.mandate.body.grantee;
    await downloadAttestation({
      number: item.number,
      mandate: item.mandate,
      ownerWords: r.ownerWords,
      granteeWords: fingerprintWords(g.type === 'person' ? session.keys.fingerprint() : fingerprintFor(g.key)),
      granteeName: '',
      granteeType: g.type,
      rights: item.rights,
      categories: item.categories.length,
      notBefore: item.not_before,
      notAfter: item.not_after,
    });
  };
  return (
    <section class="section" aria-labelledby={`m-${item.mandate}`}>
      <h3 id={`m-${item.mandate}`}>{t('mandate-number', { number: item.number })}</h3>
      <p>{rightsText(item.rights)}</p>
      <p>{t('mandate-days-left', { days: item.days_left })}</p>
      <p class="hint">{t('mandate-window', { from: dateText(item.not_before), to: dateText(item.not_after) })}</p>
      {canConsult ? (
        <ul class="mandate-list">
          {r.mandate.body.categories.map((c, i) => (
            <Demarche
              key={c}
              session={session}
              r={r}
              category={c}
              n={i + 1}
              count={r.mandate.body.categories.length}
              name={names.get(c)}
            />
          ))}
        </ul>
      ) : (
        <p>{t('people-deposit-only')}</p>
      )}
      {canDeposit && (
        <div class="actions">
          <a class="button button-primary" href={`${ROUTES.addPaper}?mandat=${encodeURIComponent(item.mandate)}`}>
            <Icon name="plus" />
            <span>{t('people-deposit')}</span>
          </a>
        </div>
      )}
      {error && <ErrorText id={`renounce-error-${item.mandate}`}>{error}</ErrorText>}
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={() => void download()}>
          <Icon name="download" />
          <span>{t('mandate-attestation')}</span>
        </button>
        {!confirming && (
          <button type="button" class="button button-secondary" onClick={() => setConfirming(true)}>
            {t('people-renounce')}
          </button>
        )}
      </div>
      {confirming && (
        <div class="confirm">
          <p>
            <strong>{t('people-renounce-confirm')}</strong>
          </p>
          <div class="actions">
            <button
              type="button"
              class="button button-danger"
              onClick={async () => {
                try {
                  await renounce(session, r);
                  onChanged();
                } catch (e) {
                  setError(mandateProblem(e));
                }
              }}
            >
              {t('people-renounce-yes')}
            </button>
            <button type="button" class="button button-secondary" onClick={() => setConfirming(false)}>
              {t('people-renounce-no')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

type DemarcheState =
  | { kind: 'closed' }
  | { kind: 'opening' }
  | { kind: 'open'; granted: GrantedCategory; papers: GrantedPaperMeta[]; refused: number; deposits: number }
  | { kind: 'failed'; message: string };

function Demarche({
  session,
  r,
  category,
  n,
  count,
  name,
}: {
  session: Unlocked;
  r: ReceivedMandate;
  category: string;
  n: number;
  count: number;
  /** The category's name, when the owner sealed its label to this grantee. */
  name?: string;
}) {
  const [state, setState] = useState<DemarcheState>({ kind: 'closed' });
  const [shown, setShown] = useState<string | null>(null);
  const open = async () => {
    setState({ kind: 'opening' });
    try {
      const granted = await categoryKeys(session, r, category);
      const { papers, refused, deposits } = await listPapers(session, r, category, granted);
      setState({ kind: 'open', granted, papers, refused, deposits });
    } catch (e) {
      setState({ kind: 'failed', message: mandateProblem(e) });
    }
  };
  const label = name ?? t('people-demarche', { n, count });
  return (
    <li>
      <h4>{label}</h4>
      {state.kind === 'closed' && (
        <button type="button" class="button button-secondary" onClick={() => void open()}>
          <Icon name="papers" />
          <span>{t('people-open', { n })}</span>
        </button>
      )}
      {state.kind === 'opening' && <Working messageId="people-opening" />}
      {state.kind === 'failed' && <ErrorText id={`demarche-error-${category}`}>{state.message}</ErrorText>}
      {state.kind === 'open' && (
        <>
          {state.deposits > 0 && <p class="hint">{t('people-papers-deposited', { count: state.deposits })}</p>}
          {state.refused > 0 && (
            <p role="alert" class="error">
              {t('people-papers-refused', { count: state.refused })}
            </p>
          )}
          {state.papers.length === 0 && state.deposits === 0 && <p>{t('people-no-papers')}</p>}
          <ul class="paper-list">
            {state.papers.map((p) => (
              <li key={p.paper} class="paper-item">
                <p>
                  <strong>{p.meta.title}</strong> <span class="hint">· {docTypeName(p.meta.doc_type)}</span>
                </p>
                {shown === p.paper ? (
                  <Viewer session={session} r={r} paper={p} granted={state.granted} onClose={() => setShown(null)} />
                ) : (
                  <button type="button" class="button button-secondary button-small" onClick={() => setShown(p.paper)}>
                    <Icon name="eye" />
                    <span>{t('people-see', { title: p.meta.title })}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </li>
  );
}

type ViewState =
  | { kind: 'loading' }
  | { kind: 'open'; paper: OpenedGranted; urls: string[] }
  | { kind: 'failed'; message: string };

/** The paper, opened after every check, shown by <img> only (a PDF drawn in its sandboxed frame). */
function Viewer({
  session,
  r,
  paper,
  granted,
  onClose,
}: {
  session: Unlocked;
  r: ReceivedMandate;
  paper: GrantedPaperMeta;
  granted: GrantedCategory;
  onClose: () => void;
}) {
  const [state, setState] = useState<ViewState>({ kind: 'loading' });
  const [page, setPage] = useState(0);
  useEffect(() => {
    let live = true;
    const urls: string[] = [];
    let opened: OpenedGranted | null = null;
    openGranted(session, r, paper.paper, granted)
      .then((p) => {
        opened = p;
        if (!live) return;
        for (const pg of p.pages) {
          if (pg.type === 'application/pdf') continue;
          urls.push(URL.createObjectURL(new Blob([pg.bytes as Uint8Array<ArrayBuffer>], { type: pg.type })));
        }
        setState({ kind: 'open', paper: p, urls });
      })
      .catch((e) => live && setState({ kind: 'failed', message: mandateProblem(e) }));
    return () => {
      live = false;
      for (const u of urls) URL.revokeObjectURL(u);
      if (opened) zeroize(opened.plaintext);
    };
  }, [paper.paper]);
  const first = state.kind === 'open' ? state.paper.pages[0] : undefined;
  const pdf = usePdfPages(first?.type === 'application/pdf' ? first.bytes : null, page);
  const isPdf = pdf.kind !== 'none';
  const count = state.kind !== 'open' ? 0 : isPdf ? (pdf.kind === 'ready' ? pdf.pages : 0) : state.paper.pages.length;
  const src = isPdf
    ? pdf.kind === 'ready'
      ? pdf.url
      : undefined
    : state.kind === 'open'
      ? state.urls[page]
      : undefined;
  return (
    <div class="granted-viewer">
      {state.kind === 'loading' && <Working messageId="show-opening" />}
      {state.kind === 'failed' && <ErrorText id={`viewer-error-${paper.paper}`}>{state.message}</ErrorText>}
      {state.kind === 'open' && pdf.kind === 'failed' && <p>{t('show-pdf-failed')}</p>}
      {src && <img src={src} alt={t('show-page-alt', { n: page + 1, count, title: paper.meta.title })} />}
      <div class="actions">
        {count > 1 && (
          <>
            <button
              type="button"
              class="button button-secondary button-small"
              disabled={page === 0}
              onClick={() => setPage(page - 1)}
            >
              {t('show-previous')}
            </button>
            <button
              type="button"
              class="button button-secondary button-small"
              disabled={page === count - 1}
              onClick={() => setPage(page + 1)}
            >
              {t('show-next')}
            </button>
          </>
        )}
        <button type="button" class="button button-secondary button-small" onClick={onClose}>
          <Icon name="close" />
          <span>{t('show-close')}</span>
        </button>
      </div>
    </div>
  );
}
