import { describe, expect, it } from 'vitest';
import { edgeAt, FULL_CROP, MIN_CROP, moveEdge, turnCrop } from '../../src/pages/crop-geometry';
import { planPage } from '../../src/papers/geometry';

describe('cropping by hand', () => {
  it('moves one edge and keeps the others', () => {
    const c = moveEdge(FULL_CROP, 'bottom', 0.75);
    expect(c).toEqual({ x: 0, y: 0, width: 1, height: 0.75 });
    const d = moveEdge(c, 'left', 0.2);
    expect(d).toEqual({ x: 0.2, y: 0, width: 0.8, height: 0.75 });
    expect(edgeAt(d, 'right')).toBe(1);
    expect(edgeAt(d, 'bottom')).toBe(0.75);
  });

  it('stays inside the photo and never smaller than a tenth', () => {
    expect(moveEdge(FULL_CROP, 'top', -3)).toEqual(FULL_CROP);
    expect(moveEdge(FULL_CROP, 'right', 7)).toEqual(FULL_CROP);
    const c = moveEdge({ x: 0.3, y: 0, width: 0.4, height: 1 }, 'left', 0.9);
    expect(c.x + c.width).toBeCloseTo(0.7);
    expect(c.width).toBeCloseTo(MIN_CROP);
    const d = moveEdge({ x: 0, y: 0.5, width: 1, height: 0.5 }, 'bottom', 0);
    expect(d.height).toBeCloseTo(MIN_CROP);
    // Whatever is asked, the pipeline takes it.
    for (const edge of ['top', 'right', 'bottom', 'left'] as const) {
      for (const at of [-1, 0, 0.05, 0.5, 0.95, 1, 2, Number.NaN]) {
        const crop = moveEdge({ x: 0.1, y: 0.2, width: 0.5, height: 0.6 }, edge, Number.isNaN(at) ? 0 : at);
        expect(() => planPage(1000, 2000, { crop, maxSide: 2400 })).not.toThrow();
      }
    }
  });

  it('follows the photo when it is turned', () => {
    // The top quarter of an upright page is its right quarter once turned clockwise.
    expect(turnCrop({ x: 0, y: 0, width: 1, height: 0.25 })).toEqual({ x: 0.75, y: 0, width: 0.25, height: 1 });
    let c = { x: 0.1, y: 0.2, width: 0.3, height: 0.4 };
    const start = c;
    for (let i = 0; i < 4; i++) c = turnCrop(c);
    expect(c.x).toBeCloseTo(start.x);
    expect(c.y).toBeCloseTo(start.y);
    expect(c.width).toBeCloseTo(start.width);
    expect(c.height).toBeCloseTo(start.height);
  });
});
