// The coffre page's journal section: the owner's journal verified in this browser, newest
// first, in plain words. The grantee acts are matched with their grantee-signed statements
// (journal/grantee.ts: an act the host invented or hid is a warning), and named as this
// device knows them: who (the name the owner gave, the organisation), what (the paper's title
// from the verified listing, the category's name), under which mandate; a mandate that ended at
// its end date gets its own line at that date, read from the signed mandate.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { currentLocale, t } from '../i18n';
import { type JournalLine, type JournalResult, loadJournal, SHOWN_LINES } from '../journal';
import { filterChoices, lineMatches, withExpiryLines } from '../journal/filter';
import type { GranteeCheck, Who } from '../journal/grantee';
import { loadStrings as loadMandateStrings, stringsReady as mandateStringsReady, t as mt } from '../mandates/strings';
import { paperStoreFor } from '../paper-store';
import type { Unlocked } from '../session';
import { ErrorText } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Section } from '../ui/Section';
import { categoryName } from './paper-common';

const MANDATE_ACTIONS: ReadonlySet<string> = new Set([
  'mandate_granted',
  'mandate_revoked',
  'mandate_accessed',
  'paper_deposited',
  'mandate_renounced',
]);

/** The owner's journal, newest first, verified in this browser. */
export function Journal({ session }: { session: Unlocked }) {
  const [result, setResult] = useState<JournalResult | null>(null);
  const [failed, setFailed] = useState(false);
  const [full, setFull] = useState(false);
  // The grantee acts matched with the statements of the mandates given (lazy: most coffres
  // have none); `failed` when they could not be fetched or verified.
  const [acts, setActs] = useState<GranteeCheck | 'failed' | null>(null);
  // The filters (a mandate given, a paper) and the papers' titles they offer: the verified
  // listing this session has, else listed when the paper filter is first used (the coffre
  // page itself lists nothing).
  const [who, setWho] = useState('');
  const [paper, setPaper] = useState('');
  const store = paperStoreFor(session);
  const [titles, setTitles] = useState(() => titlesOf(store.lastListing));
  // `about`: papers the lines name; a listing this session made before one of them was added
  // (or deposited) does not hold it, so the papers are listed again then.
  const wantTitles = (about: readonly string[] = []) => {
    const known = new Set(titles.map((p) => p.id));
    const stale = about.some((id) => !known.has(id));
    if (titles.length > 0 && !stale) return;
    (store.lastListing && !stale ? Promise.resolve(store.lastListing) : store.list())
      .then((l) => setTitles(titlesOf(l)))
      .catch(() => undefined);
  };
  // The categories' names, for what a grantee listed or received the key of.
  const [categories, setCategories] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    // Asked for the whole journal, what is verified already stays on screen meanwhile.
    if (!full) {
      setResult(null);
      setActs(null);
    }
    api
      .instance()
      .then((instance) => loadJournal(session, instance, undefined, full))
      .then((r) => {
        if (!live) return;
        setResult(r);
        // Only a journal that names a mandate has grantee acts to match: no request (and
        // nothing to load) for the others. Verified from this device's checkpoint only, older
        // entries may name mandates: the mandates given are fetched, for the person filter.
        if (!r.ok) return;
        const named = [...r.lines, ...r.older].some((line) => MANDATE_ACTIONS.has(line.action));
        if (!named && r.whole) return;
        // A mandate given: an end since the last unlock rotates its categories' keys.
        if (named) void import('../mandates/rotation').then((rot) => rot.rotateOnceAfterUnlock(session));
        import('../journal/grantee')
          .then((g) => g.loadGranteeCheck(session))
          .then((c) => {
            if (!live) return;
            setActs(c ?? null);
            // The lines then name the papers and categories (the listing once, if not yet).
            if (!c || ![...r.lines, ...r.older].some((line) => GRANTEE_LINES.includes(line.action))) return;
            wantTitles(papersNamed(r.lines, r.older));
            store
              .categories()
              .then((list) => live && setCategories(new Map(list.map((cat) => [cat.id, categoryName(cat)]))))
              .catch(() => undefined);
          })
          .catch(() => live && setActs('failed'));
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [session, full]);
  const when = new Intl.DateTimeFormat(currentLocale.value, { dateStyle: 'medium', timeStyle: 'short' });
  const check = acts && acts !== 'failed' ? acts : undefined;
  // The words need the mandate screens' strings (lazy): until they come, the plain lines.
  // They name the mandates' acts, and the papers this session's verified listing holds.
  const words: Words | undefined =
    (check || titles.length > 0) && mandateStringsReady()
      ? { check, titles: new Map(titles.map((p) => [p.id, p])), categories }
      : undefined;
  const [, stringsCame] = useState(false);
  useEffect(() => {
    if (titles.length > 0 && !mandateStringsReady()) void loadMandateStrings().then(() => stringsCame(true));
  }, [titles]);
  // A filter reads every verified entry (the older ones bare), and asks for the whole journal
  // when this device verified only its newest entries.
  const filter = { mandate: who, paper };
  const filtering = Boolean(who || paper);
  const verified = result?.ok ? (filtering ? [...result.lines, ...result.older] : result.lines) : [];
  const lines = withExpiryLines(verified, check?.expired).filter((line) => lineMatches(line, filter));
  const searching = filtering && result?.ok === true && !result.whole;
  const choose = (set: (value: string) => void) => (value: string) => {
    set(value);
    if (value && result?.ok && !result.whole) setFull(true);
  };
  return (
    <Section titleId="home-journal-title" icon="clock">
      <p>{t('home-journal-1')}</p>
      {!result && !failed && <p role="status">{t('home-journal-loading')}</p>}
      {failed && <ErrorText id="journal-error">{t('home-journal-unavailable')}</ErrorText>}
      {result && !result.ok && (
        <div role="alert" class="journal-broken">
          <p>
            <strong>{t('home-journal-broken-1')}</strong>
          </p>
          <p>{t('home-journal-broken-2')}</p>
          <p class="hint">{t('home-journal-broken-code', { code: result.code })}</p>
        </div>
      )}
      {result?.ok && (
        <>
          <p class="status-line with-icon" role="status">
            <Icon name="check" />
            <span>{t('home-journal-verified')}</span>
          </p>
          {result.since !== undefined && <p>{t('home-journal-since')}</p>}
          {result.vouched && (
            <p>{t('home-journal-vouched', { date: when.format(new Date(result.vouched.created * 1000)) })}</p>
          )}
          {result.lines.length === SHOWN_LINES && <p>{t('home-journal-newest', { count: SHOWN_LINES })}</p>}
          {acts === 'failed' && (
            <p role="alert" class="journal-broken" id="journal-acts-unchecked">
              {mt('journal-acts-unchecked')}
            </p>
          )}
          {acts && acts !== 'failed' && acts.invented.length > 0 && (
            <p role="alert" class="journal-broken" id="journal-proof-missing">
              <strong>{mt('journal-proof-missing')}</strong>
            </p>
          )}
          {acts && acts !== 'failed' && acts.hidden && (
            <p role="alert" class="journal-broken" id="journal-entry-missing">
              <strong>{mt('journal-entry-missing')}</strong>
            </p>
          )}
          <JournalFilters
            lines={[...result.lines, ...result.older]}
            whole={result.whole}
            titles={titles}
            onWantTitles={() => wantTitles()}
            numbers={acts && acts !== 'failed' ? acts.numbers : undefined}
            who={who}
            paper={paper}
            onWho={choose(setWho)}
            onPaper={choose(setPaper)}
          />
          {searching && (
            <p role="status" id="journal-filter-searching">
              {mt('journal-filter-searching')}
            </p>
          )}
          {filtering && !searching && lines.length === 0 && <p id="journal-filter-none">{mt('journal-filter-none')}</p>}
          <ol class="journal" aria-label={t('home-journal-list')}>
            {lines.map((line) => (
              <li key={line.seq} class={line.seq < 0 ? 'journal-derived' : undefined}>
                <span class="journal-what">{lineText(line, when, check, words)}</span>
                <span class="hint">
                  {' · '}
                  {when.format(new Date(line.time * 1000))}
                  {line.device ? ` · ${line.device}` : ''}
                </span>
              </li>
            ))}
          </ol>
          {!full && result.head.seq + 1 > result.lines.length && (
            <div class="actions">
              <button type="button" class="button button-secondary" onClick={() => setFull(true)}>
                {t('home-journal-all')}
              </button>
            </div>
          )}
        </>
      )}
    </Section>
  );
}

/** The papers the shown lines add or deposit, but those a verified line deletes. */
function papersNamed(lines: readonly JournalLine[], older: readonly JournalLine[]): string[] {
  const deleted = new Set(
    [...lines, ...older].flatMap((l) => (l.action === 'paper_deleted' && l.object ? [l.object] : [])),
  );
  return lines.flatMap((l) =>
    (l.action === 'paper_added' || l.action === 'paper_deposited') && l.object && !deleted.has(l.object)
      ? [l.object]
      : [],
  );
}

const titlesOf = (listing?: { papers: readonly { id: string; meta: { title: string; replaces?: string } }[] }) =>
  (listing?.papers ?? []).map((p) => ({ id: p.id, title: p.meta.title, replaces: p.meta.replaces }));

/** Filter the lines shown by person (a mandate given, named by its number) and by paper. */
function JournalFilters({
  lines,
  whole,
  titles,
  onWantTitles,
  numbers,
  who,
  paper,
  onWho,
  onPaper,
}: {
  lines: readonly JournalLine[];
  /** `lines` are the whole journal; else every mandate given and every paper listed is offered. */
  whole: boolean;
  titles: readonly { id: string; title: string }[];
  /** The paper filter is used: its titles are wanted. */
  onWantTitles: () => void;
  numbers?: ReadonlyMap<string, number>;
  who: string;
  paper: string;
  onWho: (mandate: string) => void;
  onPaper: (paper: string) => void;
}) {
  const choices = filterChoices(lines, titles, whole ? undefined : numbers);
  const mandates = choices.mandates.flatMap((id) => {
    const number = numbers?.get(id);
    return number === undefined ? [] : [{ id, number }];
  });
  if (mandates.length === 0 && !choices.aboutObjects) return null;
  return (
    <div class="journal-filters">
      {mandates.length > 0 && (
        <div class="field">
          <label for="journal-filter-person">{mt('journal-filter-person')}</label>
          <select id="journal-filter-person" class="input" value={who} onChange={(e) => onWho(e.currentTarget.value)}>
            <option value="">{mt('journal-filter-everyone')}</option>
            {mandates.map((m) => (
              <option key={m.id} value={m.id}>
                {mt('journal-filter-mandate', { number: m.number })}
              </option>
            ))}
          </select>
        </div>
      )}
      {choices.aboutObjects && (
        <div class="field">
          <label for="journal-filter-paper">{mt('journal-filter-paper')}</label>
          <select
            id="journal-filter-paper"
            class="input"
            value={paper}
            onFocus={onWantTitles}
            onPointerDown={onWantTitles}
            onChange={(e) => onPaper(e.currentTarget.value)}
          >
            <option value="">{mt('journal-filter-all-papers')}</option>
            {choices.papers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}

const KNOWN_ACTIONS = [
  'coffre_created',
  'sign_in',
  'sign_in_failed',
  'carte_locked',
  'restored',
  'key_added',
  'key_removed',
  'carte_revoked',
  'paper_added',
  'paper_deleted',
  'mandate_granted',
  'mandate_revoked',
  'mandate_accessed',
  'paper_deposited',
  'mandate_renounced',
  'category_rotated',
  'mandate_expired',
];
const KNOWN_FACTORS = ['carte', 'passphrase', 'passkey', 'device'];

const GRANTEE_LINES = ['mandate_accessed', 'paper_deposited', 'mandate_renounced'];

/** What the lines about mandates are named with (journal/grantee.ts, the verified listing). */
interface Words {
  /** The grantee acts matched, once fetched (a coffre that gave mandates). */
  check?: GranteeCheck;
  titles: ReadonlyMap<string, { title: string; replaces?: string }>;
  categories: ReadonlyMap<string, string>;
}

/**
 * A paper added, in plain words, when the verified listing holds it: its title, and « nouvelle
 * version » for one whose metadata names a paper it replaces (the signed entry says
 * `paper_added` either way: the host does not learn that it replaces anything).
 */
function paperLineText(line: JournalLine, w: Words): string | undefined {
  const paper = line.action === 'paper_added' && line.object ? w.titles.get(line.object) : undefined;
  if (!paper) return undefined;
  return mt(paper.replaces ? 'journal-paper-replaced' : 'journal-paper-added', { what: paper.title });
}

/** Whom a mandate was given to, mid-sentence: the name, « the organisation » (and the name). */
function toText(who: Who | undefined): string | undefined {
  if (!who) return undefined;
  if (who.type === 'organisation' && who.organisation)
    return who.name
      ? mt('journal-to-organisation-named', { organisation: who.organisation, name: who.name })
      : mt('journal-to-organisation', { organisation: who.organisation });
  return who.name;
}

/** Who did a grantee act, at the start of a sentence. */
function byText(who: Who | undefined): string {
  if (who?.type === 'organisation' && who.organisation)
    return mt('journal-by-organisation', { organisation: who.organisation });
  return who?.name ?? mt('journal-by-someone');
}

/** « mandat n° 12 », with the name the owner gave when an organisation's aidant acted under it. */
function mandateRef(number: number, who: Who | undefined): string {
  return who?.type === 'organisation' && who.name
    ? mt('journal-mandate-named', { number, name: who.name })
    : mt('journal-mandate', { number });
}

const RECEIPT_ACTS = ['unwrap_key', 'list', 'download'];

/** A line about a mandate in plain words, or undefined when its number is not known here. */
function mandateLineText(line: JournalLine, w: Words): string | undefined {
  const { check } = w;
  if (!check) return undefined;
  const mandate = line.mandate ?? line.object;
  const number = mandate === undefined ? undefined : check.numbers.get(mandate);
  if (mandate === undefined || number === undefined) return undefined;
  const who = check.who.get(mandate);
  const to = toText(who);
  const what = (id?: string) =>
    (id && (w.titles.get(id)?.title ?? w.categories.get(id))) || mt('mandate-receipt-a-paper');
  switch (line.action) {
    case 'mandate_granted': {
      const given = to ? mt('journal-granted-to', { number, to }) : mt('journal-granted', { number });
      const old = check.renews.get(mandate);
      return old === undefined ? given : mt('journal-granted-renews', { line: given, old });
    }
    case 'mandate_revoked':
      return to ? mt('journal-revoked-to', { number, to }) : mt('journal-revoked', { number });
    case 'mandate_expired':
      return to ? mt('journal-expired-to', { number, to }) : mt('journal-expired', { number });
    case 'mandate_accessed': {
      const act = check.acts.get(line.seq);
      return mt(`journal-act-${act && RECEIPT_ACTS.includes(act) ? act : 'other'}`, {
        who: byText(who),
        what: what(line.object),
        mandate: mandateRef(number, who),
      });
    }
    case 'paper_deposited':
      return mt('journal-act-deposited', {
        who: byText(who),
        what: what(line.object),
        mandate: mandateRef(number, who),
      });
    case 'mandate_renounced':
      return mt('journal-act-renounced', { who: byText(who), mandate: mandateRef(number, who) });
    default:
      return undefined;
  }
}

function lineText(line: JournalLine, when: Intl.DateTimeFormat, acts?: GranteeCheck, words?: Words): string {
  const action = KNOWN_ACTIONS.includes(line.action) ? line.action : 'other';
  const invented = acts?.invented.includes(line.seq) ?? false;
  const plain = words && !invented ? (mandateLineText(line, words) ?? paperLineText(line, words)) : undefined;
  if (plain !== undefined) return plain;
  const number = line.mandate === undefined ? undefined : acts?.numbers.get(line.mandate);
  if (acts && GRANTEE_LINES.includes(action)) {
    const text = number === undefined ? t(`journal-${action}`) : mt(`journal-grantee-${action}`, { number });
    return invented ? mt('journal-grantee-no-proof', { what: text }) : text;
  }
  const factor = line.factor && KNOWN_FACTORS.includes(line.factor) ? line.factor : 'none';
  if (action === 'restored')
    return line.backup_time === undefined
      ? t('journal-restored-undated')
      : t('journal-restored', { date: when.format(new Date(line.backup_time * 1000)) });
  return t(`journal-${action}`, { factor });
}
