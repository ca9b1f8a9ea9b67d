import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { t } from '../i18n';

export const PAGE_TITLE_ID = 'page-title';

interface PageProps {
  /** Message id of the page's one `<h1>`. */
  titleId: string;
  /** Message id for the browser tab, when it should differ from the `<h1>`. */
  tabTitleId?: string;
  /** Reads the ids: the app's strings unless a lazy screen passes its own. */
  translate?: (id: string) => string;
  children: ComponentChildren;
}

/** One page: its `<h1>` (focused after a navigation, see App) and the browser tab's title. */
export function Page({ titleId, tabTitleId, translate = t, children }: PageProps) {
  const heading = translate(titleId);
  const tabTitle = t('page-title', { page: tabTitleId ? translate(tabTitleId) : heading });
  useEffect(() => {
    document.title = tabTitle;
  }, [tabTitle]);
  return (
    <>
      <h1 id={PAGE_TITLE_ID} tabIndex={-1}>
        {heading}
      </h1>
      {children}
    </>
  );
}

/**
 * Moves keyboard and screen-reader focus to the new page's heading after a navigation. A page
 * whose strings come with it (i18n/screen-strings.ts) draws its heading a moment later: then
 * the heading is focused when it appears (within 5 s), unless the focus moved meanwhile.
 */
export function focusPageTitle(): void {
  const heading = document.getElementById(PAGE_TITLE_ID);
  if (heading) {
    heading.focus();
    return;
  }
  const from = document.activeElement;
  const observer = new MutationObserver(() => {
    const appeared = document.getElementById(PAGE_TITLE_ID);
    if (!appeared) return;
    observer.disconnect();
    clearTimeout(timer);
    if (document.activeElement === from || document.activeElement === document.body) appeared.focus();
  });
  observer.observe(document.body, { childList: true, subtree: true });
  const timer = setTimeout(() => observer.disconnect(), 5000);
}
