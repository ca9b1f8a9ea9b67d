// « Mes mandats » against a host that serves a stale or edited list (src/mandates/list-check.ts):
// the list's scope, window and state are checked against each mandate's signed statement
// and the owner's verified journal — a mandate the journal granted and the list hides, a
// revoked or renounced one shown as in force, an ended one with no proof, an expired one
// shown with another window or as still in force are each a warning.
import { describe, expect, it } from 'vitest';
import { OwnerKeys, randomBytes } from '../../src/crypto/keys';
import type { MandateItem } from '../../src/mandates/api';
import { CLOCK_SLACK, checkGivenList } from '../../src/mandates/list-check';
import { loadGiven } from '../../src/mandates/owner';
import { DAY, host, mandate, now, ownerEntry, session } from './mandate-host';

const verified = (list: MandateItem[]) => loadGiven(session, host(list));
const granted = (seq: number, m: MandateItem) => ownerEntry(seq, 'mandate_granted', m.mandate);

describe('the owner’s list of mandates, checked against the journal and the signed mandates', () => {
  it('an honest list: nothing missing, no warning', async () => {
    const [a, b] = [mandate(), mandate({ number: 2 })];
    const check = checkGivenList(await verified([a, b]), [granted(3, a), granted(7, b)], now + DAY);
    expect(check).toEqual({ missing: [], problems: new Map() });
  });

  it('a mandate the journal granted and the list leaves out is missing', async () => {
    const [a, b] = [mandate(), mandate()];
    const check = checkGivenList(await verified([a]), [granted(3, a), granted(4, b)], now + DAY);
    expect(check.missing).toEqual([b.mandate]);
    expect(check.problems.size).toBe(0);
  });

  it('a mandate the journal revoked, shown as in force, is warned', async () => {
    const a = mandate();
    const entries = [granted(3, a), ownerEntry(4, 'mandate_revoked', a.mandate)];
    const check = checkGivenList(await verified([a]), entries, now + DAY);
    expect(check.problems.get(a.mandate)).toBe('end_hidden');
    // Said revoked, but without the revocation statement: still hidden.
    const noProof = { ...mandate(), state: 'revoked' as const };
    const hidden = checkGivenList(
      await verified([noProof]),
      [ownerEntry(5, 'mandate_revoked', noProof.mandate)],
      now + DAY,
    );
    expect(hidden.problems.get(noProof.mandate)).toBe('end_hidden');
  });

  it('a renunciation in the journal that the list does not show is warned too', async () => {
    const a = mandate();
    const renounced = { ...ownerEntry(5, 'mandate_renounced', a.mandate), object: undefined, mandate: a.mandate };
    const check = checkGivenList(await verified([a]), [granted(3, a), renounced], now + DAY);
    expect(check.problems.get(a.mandate)).toBe('end_hidden');
  });

  it('a mandate the list says ended, with no end statement, is warned: it may still run', async () => {
    const a = { ...mandate(), state: 'revoked' as const };
    const check = checkGivenList(await verified([a]), [granted(3, a)], now + DAY);
    expect(check.problems.get(a.mandate)).toBe('end_unproven');
  });

  it('an expired mandate presented with another window is not as signed', async () => {
    const a = mandate();
    const later = now + 40 * DAY; // the signed window ended at now + 31 days
    const stretched = { ...a, not_after: now + 60 * DAY, days_left: 20 };
    const check = checkGivenList(await verified([stretched]), [granted(3, a)], later);
    expect(check.problems.get(a.mandate)).toBe('not_as_signed');
    // The list's window is not the signed one: the rights and categories are checked alike.
    const widened = { ...mandate(), rights: 'consult_deposit' as const };
    const other = { ...mandate(), categories: [...a.categories, crypto.randomUUID()] };
    const both = checkGivenList(await verified([widened, other]), [], now + DAY);
    expect([...both.problems.values()]).toEqual(['not_as_signed', 'not_as_signed']);
  });

  it('a state the signed window contradicts is warned, within the clock slack', async () => {
    const a = mandate();
    const end = now + 31 * DAY;
    // Still « in force » after the signed end.
    expect(checkGivenList(await verified([a]), [], end + CLOCK_SLACK + 1).problems.get(a.mandate)).toBe(
      'state_not_window',
    );
    // This device's clock a little ahead: no warning.
    expect(checkGivenList(await verified([a]), [], end + CLOCK_SLACK - 1).problems.size).toBe(0);
    // « Expired » while the signed window still runs (the owner would not stop it).
    const over = { ...mandate(), state: 'expired' as const };
    expect(checkGivenList(await verified([over]), [], now + DAY).problems.get(over.mandate)).toBe('state_not_window');
    // « Upcoming » once it has begun.
    const early = { ...mandate(), state: 'upcoming' as const };
    expect(checkGivenList(await verified([early]), [], now + DAY).problems.get(early.mandate)).toBe('state_not_window');
  });

  it('another mandate’s statement served under this one is not as signed', async () => {
    const a = { ...mandate(), statement: mandate().statement };
    const check = checkGivenList(await verified([a]), [granted(3, a)], now + DAY);
    expect(check.problems.get(a.mandate)).toBe('not_as_signed');
  });

  it('a refused mandate is not checked (nothing of it is shown), but still counts as listed', async () => {
    const a = mandate({ signer: OwnerKeys.fromSeed(randomBytes(32)) });
    const list = await verified([a]);
    expect(list[0]?.refused).toBe('unauthorised_signer');
    const check = checkGivenList(list, [granted(3, a)], now + DAY);
    expect(check).toEqual({ missing: [], problems: new Map() });
  });
});
