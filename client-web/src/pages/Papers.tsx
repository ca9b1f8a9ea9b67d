// /coffre/papiers: the papers of the open coffre. Those that expire within 30 days or have
// expired come first, marked in words and with an icon; then every category with its
// papers; a search by title and type, in this browser, on the decrypted metadata; the
// space used against the quota. Everything shown was verified here first.
// The first screen is drawn first: the papers to renew, every category's heading with its
// count and the first papers in page order; the rest of the list follows in slices, one per
// task, so a phone shows the list without waiting for 1,000 items to be drawn (the search
// works on every listed paper from the start).
import { Component } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { ApiError } from '../api';
import { CoffreCryptoError } from '../crypto/errors';
import { currentLocale, dateFormat, t } from '../i18n';
import { DepositedBy } from '../mandates/deposited-by';
import { OfflineNotice } from '../offline/Notice';
import { offline } from '../offline/network';
import {
  expiryState,
  type ListedPaper,
  type ListingWarning,
  type PaperCategory,
  type PaperListing,
  paperStoreFor,
} from '../paper-store';
import { groupVersions } from '../paper-store/versions';
import { lock, type Unlocked, unlocked } from '../session';
import { ErrorText, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { paperPath, ROUTES } from '../ui/routes';
import {
  CategoryBadge,
  categoryName,
  docTypeName,
  expiryText,
  formatMegabytes,
  NeedsOpen,
  paperProblemText,
} from './paper-common';

export default function Papers() {
  const session = unlocked.value;
  if (!session) return <NeedsOpen />;
  return <PaperList session={session} />;
}

/** Papers drawn with the first screen (a phone shows fewer), then per slice after it. */
export const FIRST_SLICE = 40;
export const NEXT_SLICE = 150;

/**
 * How many papers the page draws: `first` at once, then NEXT_SLICE more per task (a
 * timeout lets the browser paint and handle input between slices) until `total` are drawn.
 */
function useDrawnBudget(total: number, first: () => number): number {
  const [drawn, setDrawn] = useState(first);
  useEffect(() => {
    if (drawn >= total) return;
    const timer = setTimeout(() => setDrawn((d) => d + NEXT_SLICE), 0);
    return () => clearTimeout(timer);
  }, [drawn, total]);
  return drawn;
}

/** The space is "nearly full" from this share of the quota on. */
const NEARLY_FULL = 0.8;

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; listing: PaperListing; categories: PaperCategory[] }
  | { kind: 'failed'; message: string }
  | { kind: 'broken'; code: string };

function PaperList({ session }: { session: Unlocked }) {
  const { route, query } = useLocation();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [search, setSearch] = useState('');
  const store = paperStoreFor(session);
  // Listed again when the network goes or comes back (without one: the last verified list).
  const noNetwork = offline.value;

  useEffect(() => {
    let live = true;
    Promise.all([store.list(), store.categories()])
      .then(([listing, categories]) => live && setState({ kind: 'ready', listing, categories }))
      .catch((e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) {
          lock('expired');
          route(ROUTES.unlock);
        } else if (e instanceof CoffreCryptoError) setState({ kind: 'broken', code: e.code });
        else setState({ kind: 'failed', message: paperProblemText(e) });
      });
    return () => {
      live = false;
    };
  }, [store, noNetwork]);

  // A category's link from the coffre's home: scroll to it once it is there.
  useEffect(() => {
    if (state.kind !== 'ready' || !location.hash) return;
    document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  }, [state.kind]);

  return (
    <Page titleId="papers-title">
      {query?.supprime && (
        <p class="status-line with-icon" role="status">
          <Icon name="check" />
          <span>{t('papers-deleted')}</span>
        </p>
      )}
      <OfflineNotice />
      {noNetwork ? (
        <p class="hint">{t('offline-no-changes')}</p>
      ) : (
        <div class="actions">
          <a class="button button-primary" href={ROUTES.addPaper}>
            <Icon name="plus" />
            <span>{t('papers-add')}</span>
          </a>
        </div>
      )}
      {state.kind === 'loading' && <Working messageId="papers-loading" />}
      {state.kind === 'failed' && <ErrorText id="papers-error">{state.message}</ErrorText>}
      {state.kind === 'broken' && (
        <div role="alert" class="journal-broken">
          <p>
            <strong>{t('papers-broken-1')}</strong>
          </p>
          <p>{t('papers-broken-2')}</p>
          <p class="hint">{t('home-journal-broken-code', { code: state.code })}</p>
        </div>
      )}
      {state.kind === 'ready' && (
        <Ready listing={state.listing} categories={state.categories} search={search} onSearch={setSearch} />
      )}
    </Page>
  );
}

function Ready({
  listing,
  categories,
  search,
  onSearch,
}: {
  listing: PaperListing;
  categories: PaperCategory[];
  search: string;
  onSearch: (s: string) => void;
}) {
  // One "today" for the page's life: the items drawn in slices all say the same.
  const today = useMemo(() => new Date(), [listing]);
  const { space, refused, warnings } = listing;
  // The newest version of each paper; the older ones are shown under it ("Anciennes versions").
  const groups = useMemo(() => groupVersions(listing.papers), [listing.papers]);
  const papers = useMemo(() => groups.map((g) => g.paper), [groups]);
  const older = useMemo(() => new Map(groups.map((g) => [g.paper.id, g.older])), [groups]);
  const toRenew = useMemo(
    () =>
      papers
        .filter((p) => {
          const s = expiryState(p.meta.expires, today);
          return s === 'expired' || s === 'soon';
        })
        .sort((a, b) => (a.meta.expires ?? '').localeCompare(b.meta.expires ?? '')),
    [papers, today],
  );
  const byCategory = useMemo(() => {
    const map = new Map<string, ListedPaper[]>();
    for (const p of papers) {
      const list = map.get(p.category.id);
      if (list) list.push(p);
      else map.set(p.category.id, [p]);
    }
    return map;
  }, [papers]);
  const found = useMemo(() => matching(papers, search), [papers, search]);
  const available = listing.offline?.available;
  // The papers drawn so far, shared in page order: those to renew, then each category. A
  // category's link from the home (#categorie-…) has everything above it drawn at once, so
  // that the slices drawn later, all below it, do not move it away once scrolled to.
  const listed = categories.filter((c) => byCategory.has(c.id));
  const drawn = useDrawnBudget(toRenew.length + papers.length, () => {
    const target = decodeURIComponent(location.hash.slice(1));
    const at = listed.findIndex((c) => `categorie-${c.icon}` === target);
    if (target.startsWith('categorie-') && at < 0) return toRenew.length + papers.length;
    const above = at < 0 ? 0 : listed.slice(0, at).reduce((n, c) => n + (byCategory.get(c.id)?.length ?? 0), 0);
    return toRenew.length + above + FIRST_SLICE;
  });
  let left = drawn;
  const take = <T,>(xs: readonly T[]): readonly T[] => {
    const part = left >= xs.length ? xs : xs.slice(0, Math.max(0, left));
    left -= part.length;
    return part;
  };
  const renewDrawn = take(toRenew);
  return (
    <>
      <Space used={space.used + space.reserved} quota={space.quota} />
      {refused.length > 0 && (
        <p class="error with-icon" role="alert">
          <Icon name="alert" />
          <span>{t('papers-refused', { count: refused.length })}</span>
        </p>
      )}
      {warnings.length > 0 && <ListingWarnings warnings={warnings} categories={categories} />}
      <div class="field">
        <label for="papers-search">{t('papers-search')}</label>
        <p id="papers-search-hint" class="hint">
          {t('papers-search-hint')}
        </p>
        <input
          id="papers-search"
          class="input"
          type="search"
          autocomplete="off"
          value={search}
          aria-describedby="papers-search-hint"
          onInput={(e) => onSearch(e.currentTarget.value)}
        />
      </div>
      {search.trim() !== '' ? (
        <section class="section" aria-labelledby="papers-found-title">
          <h2 id="papers-found-title" class="with-icon">
            <Icon name="search" />
            <span>{t('papers-found', { count: found.length })}</span>
          </h2>
          {found.length > 0 && (
            <PaperItems papers={found} today={today} withCategory older={older} available={available} />
          )}
        </section>
      ) : (
        <>
          {papers.length === 0 && <p>{t('papers-none')}</p>}
          {toRenew.length > 0 && (
            <section class="section notice" aria-labelledby="papers-renew-title">
              <h2 id="papers-renew-title" class="with-icon">
                <Icon name="alert" />
                <span>{t('papers-renew-title')}</span>
              </h2>
              <p>{t('papers-renew-1')}</p>
              <PaperItems papers={renewDrawn} today={today} withCategory available={available} />
            </section>
          )}
          {listed.map((c) => {
            const mine = byCategory.get(c.id) ?? [];
            const mineDrawn = take(mine);
            return (
              <section
                key={c.id}
                id={`categorie-${c.icon}`}
                class={`section category cat-${c.icon}`}
                aria-labelledby={`title-${c.id}`}
              >
                <h2 id={`title-${c.id}`} class="with-icon">
                  <CategoryBadge icon={c.icon} />
                  <span>
                    {categoryName(c)} <span class="count">({mine.length})</span>
                  </span>
                </h2>
                {mineDrawn.length > 0 && (
                  <PaperItems papers={mineDrawn} today={today} older={older} available={available} />
                )}
              </section>
            );
          })}
          <EmptyCategories categories={categories.filter((c) => !byCategory.has(c.id))} />
        </>
      )}
    </>
  );
}

/**
 * What the listing caught (an index the host served stale, dropped or changed; a paper the
 * verified journal names that the host does not list): said plainly above the papers that
 * did verify, with the codes for whoever helps.
 */
function ListingWarnings({
  warnings,
  categories,
}: {
  warnings: readonly ListingWarning[];
  categories: readonly PaperCategory[];
}) {
  const missing = warnings.filter((w) => w.paper !== undefined).length;
  const names = [
    ...new Set(
      warnings.flatMap((w) => {
        const c = categories.find((x) => x.id === w.category);
        return c ? [categoryName(c)] : [];
      }),
    ),
  ];
  const codes = [...new Set(warnings.map((w) => w.code))].join(', ');
  return (
    <div role="alert" class="journal-broken" id="papers-warning">
      <p class="with-icon">
        <Icon name="alert" />
        <strong>{t('papers-warning-1')}</strong>
      </p>
      {missing > 0 && <p>{t('papers-warning-missing', { count: missing })}</p>}
      {names.length > 0 && <p>{t('papers-warning-categories', { names: names.join(', ') })}</p>}
      <p>{t('papers-warning-2')}</p>
      <p class="hint">{t('home-journal-broken-code', { code: codes })}</p>
    </div>
  );
}

/** Title or type containing every word searched, without regard to case or accents. */
function matching(papers: readonly ListedPaper[], search: string): ListedPaper[] {
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLocaleLowerCase();
  const words = fold(search).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...papers];
  return papers.filter((p) => {
    const text = fold(`${p.meta.title} ${docTypeName(p.meta.doc_type)} ${p.meta.doc_type}`);
    return words.every((w) => text.includes(w));
  });
}

function PaperItems({
  papers,
  today,
  withCategory,
  older,
  available,
}: {
  papers: readonly ListedPaper[];
  today: Date;
  withCategory?: boolean;
  /** Each paper's older versions, newest first. */
  older?: ReadonlyMap<string, readonly ListedPaper[]>;
  /** Without a network: the papers this device keeps a copy of (the others cannot open). */
  available?: ReadonlySet<string>;
}) {
  const locale = currentLocale.value;
  return (
    <ul class="paper-list">
      {papers.map((p) => (
        <PaperItem
          key={p.id}
          paper={p}
          locale={locale}
          today={today}
          withCategory={withCategory}
          older={older?.get(p.id)}
          available={available}
        />
      ))}
    </ul>
  );
}

type PaperItemProps = {
  paper: ListedPaper;
  /** The page's language: its words and dates are drawn again when it changes. */
  locale: string;
  today: Date;
  withCategory?: boolean;
  older?: readonly ListedPaper[];
  available?: ReadonlySet<string>;
};

/**
 * One listed paper. Drawn again only when what it shows changes: the page grows by slices
 * and must not redraw the papers already on screen at each one.
 */
class PaperItem extends Component<PaperItemProps> {
  override shouldComponentUpdate(next: PaperItemProps) {
    const now = this.props;
    return (
      next.paper !== now.paper ||
      next.locale !== now.locale ||
      next.today !== now.today ||
      next.withCategory !== now.withCategory ||
      next.older !== now.older ||
      next.available !== now.available
    );
  }

  override render({ paper: p, today, withCategory, older, available }: PaperItemProps) {
    const state = expiryState(p.meta.expires, today);
    const expiry = expiryText(p.meta.expires, today);
    const warn = state === 'expired' || state === 'soon';
    return (
      <li class="paper-item">
        <PaperLink paper={p} available={available} />
        <p class="paper-meta">
          {docTypeName(p.meta.doc_type)}
          {withCategory && ` · ${categoryName(p.category)}`}
          {' · '}
          {t('paper-pages', { count: p.meta.pages })}
        </p>
        {p.depositedBy && <DepositedBy by={p.depositedBy} class="paper-meta" />}
        {expiry && (
          <p class={warn ? `paper-expiry paper-expiry-${state} with-icon` : 'paper-expiry'}>
            {warn && <Icon name={state === 'expired' ? 'alert' : 'clock'} />}
            <span>{expiry}</span>
          </p>
        )}
        <OlderVersions papers={older ?? []} available={available} />
      </li>
    );
  }
}

/** A paper's older versions, under it, folded ("Anciennes versions"). */
function OlderVersions({ papers, available }: { papers: readonly ListedPaper[]; available?: ReadonlySet<string> }) {
  if (papers.length === 0) return null;
  return (
    <details class="paper-older">
      <summary>{t('papers-older', { count: papers.length })}</summary>
      <ul class="paper-list">
        {papers.map((p) => (
          <li key={p.id} class="paper-item">
            <PaperLink paper={p} available={available} />
            <p class="paper-meta">
              {t('papers-older-added', { date: formatDay(p.item.created) })}
              {p.meta.expires && ` · ${expiryText(p.meta.expires, new Date())}`}
            </p>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** The paper's title, a link to it; without a network and without a copy here, said so instead. */
function PaperLink({ paper, available }: { paper: ListedPaper; available?: ReadonlySet<string> }) {
  if (available && !available.has(paper.id))
    return (
      <p class="paper-unavailable">
        <span class="paper-title">{paper.meta.title}</span> <span class="hint">({t('offline-unavailable')})</span>
      </p>
    );
  return (
    <a class="paper-link" href={paperPath(paper.id)}>
      {paper.meta.title}
    </a>
  );
}

/** A server time (Unix seconds) as a date in words. */
const formatDay = (seconds: number) => dateFormat({ dateStyle: 'long' }).format(new Date(seconds * 1000));

function Space({ used, quota }: { used: number; quota: number }) {
  const share = quota > 0 ? used / quota : 0;
  const percent = Math.min(100, Math.round(share * 100));
  return (
    <div class="space">
      <p id="space-label" class="space-label">
        {t('papers-space', { used: formatMegabytes(used), quota: formatMegabytes(quota) })}
      </p>
      <progress class="space-bar" max={100} value={percent} aria-labelledby="space-label" />
      {share >= 1 ? (
        <p class="error with-icon" role="alert">
          <Icon name="alert" />
          <span>{t('papers-space-full')}</span>
        </p>
      ) : (
        share >= NEARLY_FULL && (
          <p class="note note-warning with-icon" role="status">
            <Icon name="alert" />
            <span>{t('papers-space-nearly-full', { percent })}</span>
          </p>
        )
      )}
    </div>
  );
}

/** The categories without a paper yet, in one short list (each still reachable from the home). */
function EmptyCategories({ categories }: { categories: readonly PaperCategory[] }) {
  if (categories.length === 0) return null;
  return (
    <section class="section" aria-labelledby="papers-empty-title">
      <h2 id="papers-empty-title">{t('papers-empty-title')}</h2>
      <ul class="category-grid">
        {categories.map((c) => (
          <li key={c.id} id={`categorie-${c.icon}`} class={`category-tile cat-${c.icon}`}>
            <CategoryBadge icon={c.icon} />
            <span>{categoryName(c)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
