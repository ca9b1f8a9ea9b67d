// « Déposé par … » on a paper a grantee deposited (the papers list and the paper's page):
// the mandate's number, as « Mes mandats » shows it with the grantee's five words.
import type { ListedPaper } from '../paper-store';
import { t } from './strings';

export function DepositedBy({ by, class: cls }: { by: NonNullable<ListedPaper['depositedBy']>; class: string }) {
  return (
    <p class={`${cls} paper-deposited`}>
      {by.number === undefined
        ? t('paper-deposited-unknown')
        : by.organisation === undefined
          ? t('paper-deposited-by', { number: by.number })
          : t('paper-deposited-by-organisation', { number: by.number, name: by.organisation })}
    </p>
  );
}
