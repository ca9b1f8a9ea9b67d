// The journal filtered by person (a mandate given) and by paper (src/journal/filter.ts).
import { describe, expect, it } from 'vitest';
import { filterChoices, lineMatches } from '../../src/journal/filter';
import type { JournalLine } from '../../src/journal/index';

const [m1, m2, paper, other, category] = Array.from({ length: 5 }, () => crypto.randomUUID());
const line = (seq: number, action: string, fields: Partial<JournalLine> = {}): JournalLine => ({
  seq,
  time: 1_900_000_000 + seq,
  action,
  ...fields,
});
const lines = [
  line(0, 'coffre_created'),
  line(1, 'paper_added', { object: paper }),
  line(2, 'mandate_granted', { object: m1 }),
  line(3, 'mandate_accessed', { mandate: m1, object: category }),
  line(4, 'mandate_accessed', { mandate: m1, object: paper }),
  line(5, 'mandate_granted', { object: m2 }),
  line(6, 'paper_deposited', { mandate: m2, object: other }),
  line(7, 'mandate_revoked', { object: m1 }),
  line(8, 'sign_in'),
];
const seqs = (f: Parameters<typeof lineMatches>[1]) => lines.filter((l) => lineMatches(l, f)).map((l) => l.seq);

describe('the journal filtered by person and by paper', () => {
  it('no filter: every line', () => {
    expect(seqs({})).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a person: the mandate’s grant, its acts and its end', () => {
    expect(seqs({ mandate: m1 })).toEqual([2, 3, 4, 7]);
    expect(seqs({ mandate: m2 })).toEqual([5, 6]);
  });

  it('a paper: its addition and every act on it; both filters together', () => {
    expect(seqs({ paper })).toEqual([1, 4]);
    expect(seqs({ paper: other })).toEqual([6]);
    expect(seqs({ paper, mandate: m1 })).toEqual([4]);
    expect(seqs({ paper, mandate: m2 })).toEqual([]);
  });

  it('offers the mandates named and the listed papers some line is about', () => {
    const listed = [
      { id: paper, title: 'Attestation CAF' },
      { id: crypto.randomUUID(), title: 'Jamais dans le journal' },
    ];
    expect(filterChoices(lines, listed)).toEqual({ mandates: [m1, m2], papers: [listed[0]], aboutObjects: true });
    expect(filterChoices([line(0, 'sign_in')], listed)).toEqual({ mandates: [], papers: [], aboutObjects: false });
    // A grant names a mandate, not a paper.
    expect(filterChoices([line(2, 'mandate_granted', { object: m1 })], []).aboutObjects).toBe(false);
  });

  it('offers every mandate given and every listed paper when the lines are not the whole journal', () => {
    const listed = [
      { id: paper, title: 'Attestation CAF' },
      { id: other, title: 'RIB' },
    ];
    const given = new Map([
      [m1, 1],
      [m2, 2],
    ]);
    // The newest lines name neither m2 nor the RIB: an older entry may.
    const newest = [line(9, 'sign_in'), line(8, 'mandate_accessed', { mandate: m1, object: paper })];
    expect(filterChoices(newest, listed, given)).toEqual({ mandates: [m1, m2], papers: listed, aboutObjects: true });
    expect(filterChoices([line(9, 'sign_in')], listed, given).mandates).toEqual([m2, m1]);
  });
});
