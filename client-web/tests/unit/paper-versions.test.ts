import { describe, expect, it } from 'vitest';
import { groupVersions, newerVersion } from '../../src/paper-store/versions';

const paper = (id: string, created: number, replaces?: string) => ({
  id,
  meta: replaces ? { replaces } : {},
  item: { created },
});

describe('paper versions', () => {
  it('shows the newest version with the older ones under it, newest first', () => {
    const a = paper('a', 1);
    const b = paper('b', 2, 'a');
    const c = paper('c', 3, 'b');
    const x = paper('x', 4);
    const groups = groupVersions([x, c, b, a]);
    expect(groups.map((g) => [g.paper.id, g.older.map((p) => p.id)])).toEqual([
      ['x', []],
      ['c', ['b', 'a']],
    ]);
    expect(newerVersion([x, c, b, a], 'b')?.id).toBe('c');
    expect(newerVersion([x, c, b, a], 'c')).toBeUndefined();
  });

  it('makes the version before the newest the newest again once it is deleted', () => {
    const groups = groupVersions([paper('b', 2, 'a'), paper('a', 1)]);
    expect(groups.map((g) => [g.paper.id, g.older.map((p) => p.id)])).toEqual([['b', ['a']]]);
    // c (which replaced b) is gone: b is shown, a still under it.
    expect(groupVersions([paper('b', 2, 'a'), paper('a', 1)])).toEqual(groups);
  });

  it('keeps a paper whose older version was deleted, and names no missing paper', () => {
    const groups = groupVersions([paper('b', 2, 'gone')]);
    expect(groups).toEqual([{ paper: paper('b', 2, 'gone'), older: [] }]);
  });

  it('puts a paper two versions replace under the first only', () => {
    const groups = groupVersions([paper('c', 3, 'a'), paper('b', 2, 'a'), paper('a', 1)]);
    expect(groups.map((g) => [g.paper.id, g.older.map((p) => p.id)])).toEqual([
      ['c', ['a']],
      ['b', []],
    ]);
  });

  it('shows every paper of a loop on its own, and a paper naming itself as a paper', () => {
    const groups = groupVersions([paper('a', 1, 'b'), paper('b', 2, 'a'), paper('s', 3, 's')]);
    expect(groups.map((g) => [g.paper.id, g.older.length]).sort()).toEqual([
      ['a', 0],
      ['b', 0],
      ['s', 0],
    ]);
  });
});
