// /coffre/papiers/ajouter: a new paper. Page after page — a photo (the camera opens on a
// phone) or a file — each shown as it will be kept, with a quarter turn and a choice of
// margins to cut; then filed (type, category, title, dates: the type's usual validity
// suggests the expiry); then sealed in this browser and sent, with a progress bar.
// `?remplace=<id>`: a newer version of that paper (its type, category and name filled in;
// the new paper's metadata `replaces` it, and the old one stays as its history).
// A PDF's pages are counted, and its first page shown, by the sandboxed PDF frame.
// The page pipeline (src/papers) is loaded only when the first file is picked.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { ApiError } from '../api';
import { t } from '../i18n';
import type { Deposited, DepositTarget } from '../mandates/deposit';
import { t as mt } from '../mandates/strings';
import {
  type AddStage,
  type ContentPage,
  DOC_TYPES,
  docType,
  type ListedPaper,
  type PaperCategory,
  paperStoreFor,
  suggestedExpiry,
} from '../paper-store';
import type { Crop, PageErrorCode, PagePipeline, Page as PreparedPage, Rotation } from '../papers';
import { usePdfPages } from '../pdf-view/use-pdf';
import { lock, type Unlocked, unlocked } from '../session';
import { describedBy, ErrorText, useFocusOnStep, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { Page } from '../ui/Page';
import { paperPath, ROUTES } from '../ui/routes';
import { CropEditor } from './crop-editor';
import { turnCrop } from './crop-geometry';
import { categoryName, docTypeName, formatMegabytes, NeedsOpen, paperProblemText } from './paper-common';

export default function AddPaper() {
  const session = unlocked.value;
  if (!session) return <NeedsOpen />;
  return <Add session={session} />;
}

/** The margins a person can cut, in fractions of each side. */
export const MARGINS = [0, 0.04, 0.08, 0.15] as const;
const DEFAULT_MAX_PDF = 25 * 1024 * 1024;

interface Draft {
  key: number;
  file: File;
  rotation: Rotation;
  margin: number;
  /** Cut by hand (crop-editor.tsx): replaces the margin. */
  custom?: Crop;
  page: PreparedPage;
  url?: string;
}

type Step = 'pages' | 'file' | 'sending' | 'done';

const cropOf = (margin: number): Crop | undefined => {
  const m = MARGINS[margin] ?? 0;
  return m === 0 ? undefined : { x: m, y: m, width: 1 - 2 * m, height: 1 - 2 * m };
};

function pageErrorText(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'PageError') return undefined;
  const e = error as Error & { code: PageErrorCode; limit?: number };
  return t(`paper-error-${e.code}`, { limit: e.limit === undefined ? '' : formatMegabytes(e.limit) });
}

function Add({ session }: { session: Unlocked }) {
  const { route, query } = useLocation();
  const store = paperStoreFor(session);
  const replacing = query?.remplace;
  // `?mandat=<id>`: an aidant deposits in the coffre of the person who gave that mandate.
  const depositing = query?.mandat;
  const [target, setTarget] = useState<DepositTarget | null>(null);
  const [deposited, setDeposited] = useState<Deposited | null>(null);
  // The paper this one replaces, once the list is read (`gone`: no longer there).
  const [old, setOld] = useState<ListedPaper | 'gone' | null>(null);
  const [pdfPages, setPdfPages] = useState<number | undefined>(undefined);
  const [step, setStep] = useState<Step>('pages');
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [categories, setCategories] = useState<FormCategory[] | null>(null);
  const [maxPdf, setMaxPdf] = useState(DEFAULT_MAX_PDF);
  const [progress, setProgress] = useState<{ stage: AddStage; percent: number }>({ stage: 'sealing', percent: 0 });
  const [added, setAdded] = useState<string | null>(null);
  // What the person filled in, kept if sending fails (the form comes back as it was).
  const [fields, setFields] = useState<Fields | undefined>(undefined);
  const pipeline = useRef<PagePipeline | null>(null);
  const nextKey = useRef(1);
  const urls = useRef(new Set<string>());
  useFocusOnStep(step);

  useEffect(() => {
    if (depositing) {
      import('../mandates/deposit')
        .then((d) => d.depositTarget(session, depositing, (n, count) => mt('people-demarche', { n, count })))
        .then((tg) => {
          setTarget(tg);
          setCategories(tg.categories);
        })
        .catch((e) => setError(paperProblemText(e)));
      return () => {
        pipeline.current?.close();
        for (const url of urls.current) URL.revokeObjectURL(url);
      };
    }
    store
      .categories()
      .then(setCategories)
      .catch((e) => setError(paperProblemText(e)));
    store
      .list()
      .then((l) => {
        setMaxPdf(l.space.paper_max);
        if (replacing) setOld(l.papers.find((p) => p.id === replacing) ?? 'gone');
      })
      .catch(() => undefined);
    return () => {
      pipeline.current?.close();
      for (const url of urls.current) URL.revokeObjectURL(url);
    };
  }, [store]);

  const urlOf = (page: PreparedPage) => {
    if (page.type === 'application/pdf') return undefined;
    const url = URL.createObjectURL(new Blob([page.bytes as Uint8Array<ArrayBuffer>], { type: page.type }));
    urls.current.add(url);
    return url;
  };
  const forget = (draft: Draft) => {
    if (draft.url) {
      URL.revokeObjectURL(draft.url);
      urls.current.delete(draft.url);
    }
  };

  const prepare = async (file: File, rotation: Rotation, margin: number, custom?: Crop): Promise<PreparedPage> => {
    if (!pipeline.current) {
      const { createPagePipeline } = await import('../papers');
      pipeline.current = createPagePipeline({ maxPdfBytes: maxPdf });
    }
    return pipeline.current.prepare({ file, rotation, crop: custom ?? cropOf(margin) });
  };

  /** The whole photo, turned, not cut: what the crop editor shows. */
  const whole = async (draft: Draft): Promise<string | undefined> => {
    setError(null);
    setBusy(true);
    try {
      return urlOf(await prepare(draft.file, draft.rotation, 0));
    } catch (e) {
      setError(pageErrorText(e) ?? t('paper-error-processing_failed'));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const drop = (url: string) => {
    URL.revokeObjectURL(url);
    urls.current.delete(url);
  };

  const onPick = async (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length === 0) return;
    setError(null);
    setBusy(true);
    let current = drafts;
    try {
      for (const file of files) {
        let page: PreparedPage;
        try {
          page = await prepare(file, 0, 0);
        } catch (e) {
          setError(pageErrorText(e) ?? t('paper-error-processing_failed'));
          break;
        }
        const isPdf = page.type === 'application/pdf';
        if (current.some((d) => d.page.type === 'application/pdf') || (isPdf && current.length > 0)) {
          setError(t('paper-error-pdf-alone'));
          break;
        }
        const draft: Draft = { key: nextKey.current++, file, rotation: 0, margin: 0, page, url: urlOf(page) };
        current = [...current, draft];
        setDrafts(current);
      }
    } finally {
      setBusy(false);
    }
  };

  const change = async (draft: Draft, rotation: Rotation, margin: number, custom?: Crop) => {
    setError(null);
    setBusy(true);
    try {
      const page = await prepare(draft.file, rotation, margin, custom);
      forget(draft);
      const next = { ...draft, rotation, margin, custom, page, url: urlOf(page) };
      setDrafts((list) => list.map((d) => (d.key === draft.key ? next : d)));
    } catch (e) {
      setError(pageErrorText(e) ?? t('paper-error-processing_failed'));
    } finally {
      setBusy(false);
    }
  };

  const remove = (draft: Draft) => {
    forget(draft);
    setDrafts((list) => list.filter((d) => d.key !== draft.key));
  };

  const send = async (filled: Fields) => {
    setFields(filled);
    setError(null);
    setStep('sending');
    setProgress({ stage: 'sealing', percent: 0 });
    try {
      const pages: ContentPage[] = drafts.map((d) => ({ bytes: d.page.bytes, type: d.page.type }));
      const onProgress = (stage: AddStage, done: number, total: number) =>
        setProgress({ stage, percent: total > 0 ? Math.round((done / total) * 100) : 0 });
      if (target) {
        const d = await target.add({ pages, ...filled, ...(pdfPages ? { pageCount: pdfPages } : {}) }, { onProgress });
        pipeline.current?.close();
        pipeline.current = null;
        setDeposited(d);
        setStep('done');
        return;
      }
      const id = await store.add(
        {
          pages,
          ...filled,
          ...(old && old !== 'gone' ? { replaces: old.id } : {}),
          ...(pdfPages ? { pageCount: pdfPages } : {}),
        },
        {
          onProgress: (stage, done, total) =>
            setProgress({ stage, percent: total > 0 ? Math.round((done / total) * 100) : 0 }),
        },
      );
      pipeline.current?.close();
      pipeline.current = null;
      setAdded(id);
      setStep('done');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        lock('expired');
        route(ROUTES.unlock);
        return;
      }
      setError(paperProblemText(e));
      setStep('file');
    }
  };

  if (step === 'done' && deposited) {
    return (
      <Page titleId="add-done-title">
        <p class="status-line status-open with-icon" role="status" id="deposit-done">
          <Icon name="check" />
          <span>{mt('deposit-done', { number: deposited.seq })}</span>
        </p>
        <p>{mt('deposit-done-2')}</p>
        <div class="actions">
          <a class="button button-primary" href={ROUTES.helped}>
            <Icon name="back" />
            <span>{mt('deposit-back')}</span>
          </a>
        </div>
      </Page>
    );
  }

  if (step === 'done' && added) {
    return (
      <Page titleId="add-done-title">
        <p class="status-line status-open with-icon" role="status">
          <Icon name="check" />
          <span>{t('add-done-1')}</span>
        </p>
        <div class="actions">
          <a class="button button-primary" href={paperPath(added)}>
            <Icon name="eye" />
            <span>{t('add-done-show')}</span>
          </a>
          <a class="button button-secondary" href={ROUTES.papers}>
            <Icon name="papers" />
            <span>{t('add-done-list')}</span>
          </a>
        </div>
      </Page>
    );
  }

  if (step === 'sending') {
    const label =
      progress.stage === 'sending'
        ? t('add-sending-percent', { percent: progress.percent })
        : t(`add-stage-${progress.stage}`);
    return (
      <Page titleId="add-sending-title">
        <p>{t('add-sending-1')}</p>
        <label class="progress-label" for="send-progress">
          {t('add-progress-label')}
        </label>
        <progress
          id="send-progress"
          class="space-bar"
          max={100}
          value={progress.stage === 'sealing' ? 0 : progress.stage === 'filing' ? 100 : progress.percent}
        />
        <p role="status" class="working with-icon">
          <span class="spinner" aria-hidden="true" />
          <span>{label}</span>
        </p>
      </Page>
    );
  }

  if (step === 'file') {
    return (
      <FileForm
        categories={categories}
        pages={drafts.length}
        initial={fields ?? (old && old !== 'gone' ? replacementFields(old) : undefined)}
        suggestedExpires={fields || !old || old === 'gone' ? undefined : replacementFields(old).expires}
        note={target ? <DepositNote number={target.number} /> : <ReplacingNote old={old} />}
        error={error}
        onBack={() => {
          setError(null);
          setStep('pages');
        }}
        onSend={send}
      />
    );
  }

  return (
    <Page titleId="add-title">
      {target ? <DepositNote number={target.number} /> : <ReplacingNote old={old} />}
      <p>{t('add-1')}</p>
      <p>{t('add-2')}</p>
      <div class="actions">
        <label class="button button-primary file-button" for="add-camera">
          <Icon name="camera" />
          <span>{drafts.length === 0 ? t('add-camera') : t('add-camera-next')}</span>
        </label>
        <input
          id="add-camera"
          class="visually-hidden"
          type="file"
          accept="image/*,application/pdf"
          capture="environment"
          disabled={busy}
          aria-describedby={describedBy(error && 'add-error')}
          onChange={(e) => void onPick(e.currentTarget)}
        />
        <label class="button button-secondary file-button" for="add-file">
          <Icon name="photo" />
          <span>{t('add-choose')}</span>
        </label>
        <input
          id="add-file"
          class="visually-hidden"
          type="file"
          accept="image/*,application/pdf"
          multiple
          disabled={busy}
          aria-describedby={describedBy(error && 'add-error')}
          onChange={(e) => void onPick(e.currentTarget)}
        />
      </div>
      {busy && <Working messageId="add-preparing" />}
      {error && <ErrorText id="add-error">{error}</ErrorText>}
      {drafts.length > 0 && (
        <>
          <h2>{t('add-pages-title', { count: drafts.length })}</h2>
          <ol class="page-drafts">
            {drafts.map((d, i) => (
              <DraftItem
                key={d.key}
                draft={d}
                n={i + 1}
                busy={busy}
                onTurn={() =>
                  void change(d, ((d.rotation + 90) % 360) as Rotation, d.margin, d.custom && turnCrop(d.custom))
                }
                onMargin={(m) => void change(d, d.rotation, m)}
                onWhole={() => whole(d)}
                onDropWhole={drop}
                onCustom={(crop) => change(d, d.rotation, crop ? d.margin : 0, crop)}
                onRemove={() => {
                  if (d.page.type === 'application/pdf') setPdfPages(undefined);
                  remove(d);
                }}
                onPdfPages={setPdfPages}
              />
            ))}
          </ol>
          <div class="actions">
            <button type="button" class="button button-primary" disabled={busy} onClick={() => setStep('file')}>
              <span>{t('add-next')}</span>
              <Icon name="forward" />
            </button>
          </div>
        </>
      )}
      <div class="actions">
        <a class="button button-secondary" href={ROUTES.papers}>
          {t('add-cancel')}
        </a>
      </div>
    </Page>
  );
}

function DraftItem({
  draft,
  n,
  busy,
  onTurn,
  onMargin,
  onRemove,
  onPdfPages,
  onWhole,
  onDropWhole,
  onCustom,
}: {
  draft: Draft;
  n: number;
  busy: boolean;
  onTurn: () => void;
  onMargin: (margin: number) => void;
  onRemove: () => void;
  onPdfPages: (pages: number | undefined) => void;
  onWhole: () => Promise<string | undefined>;
  onDropWhole: (url: string) => void;
  onCustom: (crop: Crop | undefined) => Promise<void>;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const stopEditing = () => {
    if (editing) onDropWhole(editing);
    setEditing(null);
  };
  const id = `page-${draft.key}`;
  const isPdf = draft.page.type === 'application/pdf';
  const pdf = usePdfPages(isPdf ? draft.page.bytes : null, 0, 600);
  const pdfCount = pdf.kind === 'ready' ? pdf.pages : undefined;
  useEffect(() => {
    if (isPdf) onPdfPages(pdfCount);
  }, [isPdf, pdfCount]);
  return (
    <li class="page-draft" aria-labelledby={`${id}-name`}>
      <p id={`${id}-name`} class="page-draft-name">
        {t('add-page-name', { n })}
      </p>
      {isPdf ? (
        <>
          <p class="page-pdf with-icon">
            <Icon name="papers" />
            <span>{t('add-page-pdf')}</span>
            {pdf.kind === 'ready' && (
              <span class="page-pdf-count">{t('add-page-pdf-pages', { count: pdf.pages })}</span>
            )}
          </p>
          {pdf.kind === 'opening' && <Working messageId="add-page-pdf-counting" />}
          {pdf.kind === 'failed' && <p class="hint">{t('add-page-pdf-unreadable')}</p>}
          {pdf.kind === 'ready' && pdf.url && <img class="page-thumb" src={pdf.url} alt={t('add-page-pdf-alt')} />}
        </>
      ) : (
        !editing && <img class="page-thumb" src={draft.url} alt={t('add-page-alt', { n })} />
      )}
      {editing && (
        <CropEditor
          id={`${id}-crop`}
          name={t('add-page-name', { n })}
          url={editing}
          initial={draft.custom ?? cropOf(draft.margin)}
          busy={busy}
          onCancel={stopEditing}
          onCrop={(crop) => {
            void onCustom(crop).then(stopEditing);
          }}
        />
      )}
      <div class="page-tools">
        {!isPdf && !editing && (
          <>
            <button
              type="button"
              class="button button-secondary button-small"
              disabled={busy}
              aria-describedby={`${id}-name`}
              onClick={onTurn}
            >
              <Icon name="rotate" />
              <span>{t('add-turn')}</span>
            </button>
            <div class="field field-inline">
              <label for={`${id}-margin`}>{t('add-margin')}</label>
              <select
                id={`${id}-margin`}
                class="input"
                disabled={busy}
                value={draft.custom ? 'custom' : String(draft.margin)}
                onChange={(e) => onMargin(Number(e.currentTarget.value))}
              >
                {MARGINS.map((_, m) => (
                  <option key={m} value={String(m)}>
                    {t(`add-margin-${m}`)}
                  </option>
                ))}
                {draft.custom && (
                  <option value="custom" disabled>
                    {t('add-margin-custom')}
                  </option>
                )}
              </select>
            </div>
            <button
              type="button"
              class="button button-secondary button-small"
              disabled={busy}
              aria-describedby={`${id}-name`}
              onClick={() => {
                void onWhole().then((url) => url && setEditing(url));
              }}
            >
              <Icon name="crop" />
              <span>{t('add-crop-hand')}</span>
            </button>
          </>
        )}
        <button
          type="button"
          class="button button-secondary button-small"
          disabled={busy}
          aria-describedby={`${id}-name`}
          onClick={onRemove}
        >
          <Icon name="trash" />
          <span>{t('add-remove')}</span>
        </button>
      </div>
    </li>
  );
}

interface Fields {
  category: string;
  docType: string;
  title: string;
  issued?: string;
  expires?: string;
}

/** The newer version's fields: the old one's type, category and name; the type's usual expiry from today. */
function replacementFields(old: ListedPaper): Fields {
  const expires = suggestedExpiry(old.meta.doc_type, undefined, new Date());
  return {
    category: old.category.id,
    docType: old.meta.doc_type,
    title: old.meta.title,
    ...(expires ? { expires } : {}),
  };
}

function ReplacingNote({ old }: { old: ListedPaper | 'gone' | null }) {
  if (!old) return null;
  return (
    <p class="note with-icon">
      <Icon name="papers" />
      <span>{old === 'gone' ? t('add-replacing-gone') : t('add-replacing', { title: old.meta.title })}</span>
    </p>
  );
}

/** What the form needs of a category: the owner's own, or one a deposit mandate covers. */
type FormCategory = Pick<PaperCategory, 'id' | 'icon' | 'name'>;

/** Said on every step of a deposit: whose coffre this goes to. */
function DepositNote({ number }: { number: number }) {
  return (
    <p class="status-line with-icon" id="deposit-note">
      <Icon name="key" />
      <span>{mt('deposit-note', { number })}</span>
    </p>
  );
}

function FileForm({
  categories,
  pages,
  initial,
  suggestedExpires,
  note,
  error,
  onBack,
  onSend,
}: {
  categories: FormCategory[] | null;
  pages: number;
  initial?: Fields;
  /** The expiry in `initial` is a suggestion (not typed by the person). */
  suggestedExpires?: string;
  note?: ComponentChildren;
  error: string | null;
  onBack: () => void;
  onSend: (fields: Fields) => void;
}) {
  const [type, setType] = useState(initial?.docType ?? '');
  const [category, setCategory] = useState(initial?.category ?? '');
  const [title, setTitle] = useState(initial?.title ?? '');
  const [titleTouched, setTitleTouched] = useState(initial !== undefined);
  const [issued, setIssued] = useState(initial?.issued ?? '');
  const [expires, setExpires] = useState(initial?.expires ?? '');
  const [suggested, setSuggested] = useState<string | undefined>(suggestedExpires);
  const [missing, setMissing] = useState<string | null>(null);

  const suggest = (nextType: string, nextIssued: string) => {
    const s = suggestedExpiry(nextType, nextIssued || undefined, new Date());
    // Only a date the person has not typed themselves is replaced.
    if (expires === '' || expires === suggested) setExpires(s ?? '');
    setSuggested(s);
  };

  const onType = (value: string) => {
    setType(value);
    const icon = docType(value)?.category;
    const c = categories?.find((x) => x.icon === icon);
    if (c) setCategory(c.id);
    if (!titleTouched) setTitle(value ? docTypeName(value) : '');
    suggest(value, issued);
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (!type) return setMissing('type');
    if (!category) return setMissing('category');
    if (title.trim() === '') return setMissing('title');
    if (issued && expires && expires < issued) return setMissing('dates');
    setMissing(null);
    onSend({
      category,
      docType: type,
      title: title.trim(),
      ...(issued ? { issued } : {}),
      ...(expires ? { expires } : {}),
    });
  };

  const missingText = missing && t(`add-missing-${missing}`);
  return (
    <Page titleId="add-file-title">
      {note}
      <p>{t('add-file-1', { count: pages })}</p>
      {error && <ErrorText id="send-error">{error}</ErrorText>}
      {!categories && !error && <Working messageId="papers-loading" />}
      <form class="form" onSubmit={submit} noValidate>
        <div class="field">
          <label for="paper-type">{t('add-type')}</label>
          <select
            id="paper-type"
            class="input"
            value={type}
            aria-invalid={missing === 'type' ? 'true' : undefined}
            aria-describedby={describedBy(missing === 'type' && 'missing-error')}
            onChange={(e) => onType(e.currentTarget.value)}
          >
            <option value="">{t('add-choose-one')}</option>
            {DOC_TYPES.map((d) => (
              <option key={d.id} value={d.id}>
                {docTypeName(d.id)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="paper-category">{t('add-category')}</label>
          <select
            id="paper-category"
            class="input"
            value={category}
            aria-invalid={missing === 'category' ? 'true' : undefined}
            aria-describedby={describedBy(missing === 'category' && 'missing-error')}
            onChange={(e) => setCategory(e.currentTarget.value)}
          >
            <option value="">{t('add-choose-one')}</option>
            {(categories ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {categoryName(c)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="paper-title">{t('add-title-field')}</label>
          <p id="paper-title-hint" class="hint">
            {t('add-title-hint')}
          </p>
          <input
            id="paper-title"
            class="input"
            type="text"
            maxLength={120}
            autocomplete="off"
            value={title}
            aria-invalid={missing === 'title' ? 'true' : undefined}
            aria-describedby={describedBy('paper-title-hint', missing === 'title' && 'missing-error')}
            onInput={(e) => {
              setTitle(e.currentTarget.value);
              setTitleTouched(true);
            }}
          />
        </div>
        <div class="field">
          <label for="paper-issued">{t('add-issued')}</label>
          <input
            id="paper-issued"
            class="input input-date"
            type="date"
            value={issued}
            onInput={(e) => {
              setIssued(e.currentTarget.value);
              suggest(type, e.currentTarget.value);
            }}
          />
        </div>
        <div class="field">
          <label for="paper-expires">{t('add-expires')}</label>
          <p id="paper-expires-hint" class="hint">
            {suggested && expires === suggested ? t('add-expires-suggested') : t('add-expires-hint')}
          </p>
          <input
            id="paper-expires"
            class="input input-date"
            type="date"
            value={expires}
            aria-invalid={missing === 'dates' ? 'true' : undefined}
            aria-describedby={describedBy('paper-expires-hint', missing === 'dates' && 'missing-error')}
            onInput={(e) => setExpires(e.currentTarget.value)}
          />
        </div>
        {missingText && <ErrorText id="missing-error">{missingText}</ErrorText>}
        <div class="actions">
          <button type="submit" class="button button-primary" disabled={!categories}>
            <Icon name="lock" />
            <span>{t('add-send')}</span>
          </button>
          <button type="button" class="button button-secondary" onClick={onBack}>
            <Icon name="back" />
            <span>{t('add-back')}</span>
          </button>
        </div>
      </form>
    </Page>
  );
}
