// /coffre/papier/:id: one paper, full screen, to show at a counter: the page large, zoom,
// next and previous page, high contrast, and nothing of the app around it. Opened only
// once everything verifies (paper-store `open` → `openPaper`). A PDF's pages are drawn to
// images by pdf.js inside a sandboxed frame of an opaque origin (src/pdf-view) and shown
// like photos: by <img> only. Download (the decrypted file, as application/octet-stream
// under a safe name) and delete (after a confirmation) are behind "Autres actions".
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso/router';
import { ApiError } from '../api';
import { zeroize } from '../crypto/encoding';
import { t } from '../i18n';
import { DepositedBy } from '../mandates/deposited-by';
import { NotKeptOffline } from '../offline/keeper';
import { OfflineNotice } from '../offline/Notice';
import { offline } from '../offline/network';
import { type OpenedPaper, paperStoreFor, safeFileName } from '../paper-store';
import { newerVersion } from '../paper-store/versions';
import { usePdfPages } from '../pdf-view/use-pdf';
import { lock, type Unlocked, unlocked } from '../session';
import { ErrorText, Working } from '../ui/Form';
import { Icon } from '../ui/Icon';
import { PAGE_TITLE_ID } from '../ui/Page';
import { paperPath, ROUTES } from '../ui/routes';
import { NeedsOpen, paperProblemText } from './paper-common';

export default function ShowPaper() {
  const session = unlocked.value;
  const id = useRoute()?.params?.id ?? '';
  if (!session) return <NeedsOpen />;
  return <Viewer key={id} session={session} id={id} />;
}

const ZOOMS = [1, 1.5, 2, 3] as const;

type State =
  | { kind: 'loading' }
  | { kind: 'open'; paper: OpenedPaper; urls: string[] }
  | { kind: 'failed'; message: string };

function Viewer({ session, id }: { session: Unlocked; id: string }) {
  const { route } = useLocation();
  const store = paperStoreFor(session);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [page, setPage] = useState(0);
  const [zoom, setZoom] = useState(0);
  const [contrast, setContrast] = useState(false);
  const [more, setMore] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const opened = useRef<OpenedPaper | null>(null);

  // Nothing of the app around the paper: the header, footer and skip link are hidden.
  useEffect(() => {
    document.documentElement.classList.add('showing-paper');
    return () => document.documentElement.classList.remove('showing-paper');
  }, []);

  useEffect(() => {
    let live = true;
    const urls: string[] = [];
    store
      .open(id)
      .then((paper) => {
        opened.current = paper;
        if (!live) return;
        for (const p of paper.pages) {
          // An image is shown by <img> only; a PDF is drawn to images (usePdfPages).
          if (p.type === 'application/pdf') continue;
          urls.push(URL.createObjectURL(new Blob([p.bytes as Uint8Array<ArrayBuffer>], { type: p.type })));
        }
        setState({ kind: 'open', paper, urls });
        document.title = t('page-title', { page: paper.meta.title });
      })
      .catch((e) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) {
          lock('expired');
          route(ROUTES.unlock);
        } else
          setState({
            kind: 'failed',
            message: e instanceof NotKeptOffline ? t('offline-not-kept') : paperProblemText(e),
          });
      });
    return () => {
      live = false;
      for (const url of urls) URL.revokeObjectURL(url);
      if (opened.current) zeroize(opened.current.plaintext);
      opened.current = null;
    };
  }, [store, id]);

  useEffect(() => {
    document.getElementById(PAGE_TITLE_ID)?.focus();
  }, [state.kind]);

  const download = () => {
    if (state.kind !== 'open') return;
    const { meta, plaintext } = state.paper;
    const url = URL.createObjectURL(
      new Blob([plaintext as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = safeFileName(meta.title, meta.mime);
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const remove = async () => {
    setDeleting(true);
    setError(null);
    try {
      await store.delete(id);
      route(`${ROUTES.papers}?supprime=1`);
    } catch (e) {
      setError(paperProblemText(e));
      setDeleting(false);
    }
  };

  const first = state.kind === 'open' ? state.paper.pages[0] : undefined;
  const pdf = usePdfPages(first?.type === 'application/pdf' ? first.bytes : null, page);
  const isPdf = pdf.kind !== 'none';
  // An older version: the newer one is a tap away (the listing was read to open this one).
  const newer = state.kind === 'open' ? newerVersion(store.lastListing?.papers ?? [], id) : undefined;
  const title = state.kind === 'open' ? state.paper.meta.title : t('show-title');
  const depositedBy =
    state.kind === 'open' ? store.lastListing?.papers.find((p) => p.id === id)?.depositedBy : undefined;
  const count = state.kind !== 'open' ? 0 : isPdf ? (pdf.kind === 'ready' ? pdf.pages : 0) : state.paper.pages.length;
  const current = state.kind === 'open' && !isPdf ? state.paper.pages[page] : undefined;
  // What the stage shows: a photo, or a PDF's page drawn as an image.
  const shown = isPdf
    ? pdf.kind === 'ready'
      ? pdf.url
      : undefined
    : state.kind === 'open'
      ? state.urls[page]
      : undefined;

  return (
    <div class={contrast ? 'viewer viewer-contrast' : 'viewer'}>
      <div class="viewer-top">
        <a class="button button-secondary button-small" href={ROUTES.papers}>
          <Icon name="close" />
          <span>{t('show-close')}</span>
        </a>
        <div class="viewer-heading">
          <h1 id={PAGE_TITLE_ID} tabIndex={-1} class="viewer-title">
            {title}
          </h1>
          {count > 1 && (
            <p class="viewer-count" aria-live="polite">
              {t('show-count', { n: page + 1, count })}
            </p>
          )}
          {newer && (
            <p class="viewer-note">
              <span>{t('show-older-note')}</span> <a href={paperPath(newer.id)}>{t('show-newer')}</a>
            </p>
          )}
          {depositedBy && <DepositedBy by={depositedBy} class="viewer-note" />}
          <OfflineNotice tone="viewer-note" />
        </div>
      </div>
      {/* Focusable, so that a zoomed page scrolls with the keyboard too. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section class="viewer-stage" tabIndex={0} aria-label={t('show-stage')}>
        {state.kind === 'loading' && <Working messageId="show-opening" />}
        {state.kind === 'failed' && <ErrorText id="show-error">{state.message}</ErrorText>}
        {state.kind === 'open' && isPdf && !shown && pdf.kind !== 'failed' && <Working messageId="show-pdf-drawing" />}
        {state.kind === 'open' && pdf.kind === 'failed' && (
          <div class="viewer-hint">
            <p>{t('show-pdf-failed')}</p>
            <button type="button" class="button button-secondary button-small" onClick={download}>
              <Icon name="download" />
              <span>{t('show-download')}</span>
            </button>
          </div>
        )}
        {state.kind === 'open' && shown && (current || isPdf) && (
          <img
            class={`viewer-image zoom-${zoom}`}
            src={shown}
            alt={t('show-page-alt', { n: page + 1, count, title })}
          />
        )}
      </section>
      {state.kind === 'open' && (
        <div class="viewer-bar">
          <div class="viewer-tools">
            {count > 1 && (
              <>
                <button type="button" class="viewer-tool" disabled={page === 0} onClick={() => setPage(page - 1)}>
                  <Icon name="back" />
                  <span>{t('show-previous')}</span>
                </button>
                <button
                  type="button"
                  class="viewer-tool"
                  disabled={page === count - 1}
                  onClick={() => setPage(page + 1)}
                >
                  <Icon name="forward" />
                  <span>{t('show-next')}</span>
                </button>
              </>
            )}
            {pdf.kind !== 'failed' && (
              <>
                <button
                  type="button"
                  class="viewer-tool"
                  disabled={zoom === ZOOMS.length - 1}
                  onClick={() => setZoom(zoom + 1)}
                >
                  <Icon name="zoom-in" />
                  <span>{t('show-zoom-in')}</span>
                </button>
                <button type="button" class="viewer-tool" disabled={zoom === 0} onClick={() => setZoom(zoom - 1)}>
                  <Icon name="zoom-out" />
                  <span>{t('show-zoom-out')}</span>
                </button>
                <button
                  type="button"
                  class="viewer-tool"
                  aria-pressed={contrast}
                  onClick={() => setContrast(!contrast)}
                >
                  <Icon name="contrast" />
                  <span>{t('show-contrast')}</span>
                </button>
              </>
            )}
            <button
              type="button"
              class="viewer-tool"
              aria-expanded={more}
              aria-controls="viewer-more"
              onClick={() => {
                setMore(!more);
                setConfirming(false);
              }}
            >
              <Icon name="more" />
              <span>{t('show-more')}</span>
            </button>
          </div>
          {more && (
            <div id="viewer-more" class="viewer-more">
              {session.shared && <p class="note note-warning">{t('show-download-shared')}</p>}
              {offline.value && <p class="note">{t('offline-no-changes')}</p>}
              <div class="viewer-group">
                {!offline.value && (
                  <a class="button button-secondary" href={`${ROUTES.addPaper}?remplace=${encodeURIComponent(id)}`}>
                    <Icon name="camera" />
                    <span>{t('show-replace')}</span>
                  </a>
                )}
                <button type="button" class="button button-secondary" onClick={download}>
                  <Icon name="download" />
                  <span>{t('show-download')}</span>
                </button>
                {!confirming && !offline.value && (
                  <button type="button" class="button button-secondary" onClick={() => setConfirming(true)}>
                    <Icon name="trash" />
                    <span>{t('show-delete')}</span>
                  </button>
                )}
              </div>
              {confirming && (
                <div class="confirm">
                  <p id="confirm-text">
                    <strong>{t('show-delete-confirm-1')}</strong>
                  </p>
                  <p>{t('show-delete-confirm-2')}</p>
                  {deleting ? (
                    <Working messageId="show-deleting" />
                  ) : (
                    <div class="viewer-group">
                      <button type="button" class="button button-danger" onClick={() => void remove()}>
                        <Icon name="trash" />
                        <span>{t('show-delete-yes')}</span>
                      </button>
                      <button type="button" class="button button-secondary" onClick={() => setConfirming(false)}>
                        {t('show-delete-no')}
                      </button>
                    </div>
                  )}
                </div>
              )}
              {error && <ErrorText id="delete-error">{error}</ErrorText>}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
