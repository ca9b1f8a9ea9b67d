// Rotation, crop and scale as pure arithmetic: the sizes, and the transform checked against
// a picture turned and cut by hand, pixel by pixel.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Crop, type DrawPlan, planPage, type Rotation, rotate, rotatedSize } from '../../src/papers/geometry';

const ROTATIONS: Rotation[] = [0, 90, 180, 270];

const apply = ([a, b, c, d, e, f]: DrawPlan['transform'], x: number, y: number) => [
  a * x + c * y + e,
  b * x + d * y + f,
];

/** `grid` (rows of values) turned clockwise by hand. */
function turnClockwise(grid: number[][]): number[][] {
  const h = grid.length;
  const w = grid[0]!.length;
  return Array.from({ length: w }, (_, row) => Array.from({ length: h }, (_, col) => grid[h - 1 - col]![row]!));
}

describe('rotate and rotatedSize', () => {
  it('turns by quarter turns both ways', () => {
    expect(rotate(0, 1)).toBe(90);
    expect(rotate(270, 1)).toBe(0);
    expect(rotate(0, -1)).toBe(270);
    expect(rotate(90, 6)).toBe(270);
    expect(rotate(180, -3)).toBe(270);
  });

  it('swaps the sides for a quarter turn', () => {
    expect(rotatedSize(4000, 3000, 90)).toEqual({ width: 3000, height: 4000 });
    expect(rotatedSize(4000, 3000, 180)).toEqual({ width: 4000, height: 3000 });
    expect(rotatedSize(4000, 3000, 270)).toEqual({ width: 3000, height: 4000 });
  });
});

describe('planPage', () => {
  it('scales an upright A4 photo to 1800 × 2400, and never up', () => {
    expect(planPage(3000, 4000, { maxSide: 2400 })).toMatchObject({ width: 1800, height: 2400 });
    expect(planPage(4000, 3000, { maxSide: 2400 })).toMatchObject({ width: 2400, height: 1800 });
    expect(planPage(800, 600, { maxSide: 2400 })).toMatchObject({ width: 800, height: 600 });
    expect(apply(planPage(800, 600, { maxSide: 2400 }).transform, 10, 20)).toEqual([10, 20]);
  });

  it('turns, then crops in the turned picture, then scales', () => {
    // The ID card photo (4000 × 3000) turned a quarter: 3000 × 4000; its middle 1500 × 2400 kept.
    const plan = planPage(4000, 3000, {
      rotation: 90,
      crop: { x: 0.1, y: 0.2, width: 0.5, height: 0.6 },
      maxSide: 2400,
    });
    expect(plan).toMatchObject({ width: 1500, height: 2400 });
    expect(
      planPage(4000, 3000, { rotation: 90, crop: { x: 0, y: 0, width: 1, height: 0.5 }, maxSide: 2400 }),
    ).toMatchObject({ width: 2400, height: 1600 });
  });

  it('moves the top-left corner to the top-right on a clockwise quarter turn', () => {
    const plan = planPage(400, 300, { rotation: 90, maxSide: 1000 });
    expect(apply(plan.transform, 0, 0)).toEqual([300, 0]);
    expect(apply(plan.transform, 400, 300)).toEqual([0, 400]);
  });

  it('refuses a crop outside the picture, and empty sizes', () => {
    const bad: Crop[] = [
      { x: -0.1, y: 0, width: 0.5, height: 0.5 },
      { x: 0.6, y: 0, width: 0.5, height: 0.5 },
      { x: 0, y: 0, width: 0, height: 1 },
      { x: 0, y: Number.NaN, width: 1, height: 1 },
    ];
    for (const crop of bad) expect(() => planPage(100, 100, { crop, maxSide: 50 })).toThrow(RangeError);
    expect(() => planPage(0, 100, { maxSide: 50 })).toThrow(RangeError);
    expect(() => planPage(10, 10, { rotation: 45 as Rotation, maxSide: 50 })).toThrow(RangeError);
  });

  it('keeps at least one pixel of a tiny crop', () => {
    expect(
      planPage(100, 100, { crop: { x: 0.999, y: 0.999, width: 0.001, height: 0.001 }, maxSide: 50 }),
    ).toMatchObject({ width: 1, height: 1, source: { x: 99, y: 99, width: 1, height: 1 } });
  });

  it('maps each kept pixel where turning and cutting by hand puts it', () => {
    const arbitrary = fc.record({
      width: fc.integer({ min: 1, max: 12 }),
      height: fc.integer({ min: 1, max: 12 }),
      rotation: fc.constantFrom(...ROTATIONS),
      x: fc.double({ min: 0, max: 1, noNaN: true }),
      y: fc.double({ min: 0, max: 1, noNaN: true }),
      w: fc.double({ min: 0.01, max: 1, noNaN: true }),
      h: fc.double({ min: 0.01, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(arbitrary, ({ width, height, rotation, x, y, w, h }) => {
        const crop = { x: Math.min(x, 1 - w), y: Math.min(y, 1 - h), width: w, height: h };
        const plan = planPage(width, height, { rotation, crop, maxSide: 100 }); // no scaling
        // By hand: number the pixels, turn the grid, cut the crop's pixels out of it.
        let grid = Array.from({ length: height }, (_, row) =>
          Array.from({ length: width }, (_, col) => row * width + col),
        );
        for (let turn = 0; turn < rotation / 90; turn++) grid = turnClockwise(grid);
        const cutX = Math.min(grid[0]!.length - 1, Math.round(crop.x * grid[0]!.length));
        const cutY = Math.min(grid.length - 1, Math.round(crop.y * grid.length));
        const expected = grid.slice(cutY, cutY + plan.height).map((row) => row.slice(cutX, cutX + plan.width));
        expect(expected.length).toBe(plan.height);
        expect(expected[0]!.length).toBe(plan.width);
        // The transform sends the centre of each source pixel in `source` to the centre of its output pixel.
        const s = plan.source;
        let seen = 0;
        for (let py = s.y; py < s.y + s.height; py++) {
          for (let px = s.x; px < s.x + s.width; px++) {
            const [ox, oy] = apply(plan.transform, px + 0.5, py + 0.5);
            expect(Number.isInteger(ox! - 0.5) && Number.isInteger(oy! - 0.5)).toBe(true);
            expect(expected[oy! - 0.5]![ox! - 0.5]).toBe(py * width + px);
            seen++;
          }
        }
        expect(seen).toBe(plan.width * plan.height);
      }),
      { numRuns: 300 },
    );
  });

  it('fills exactly the output, with the longer side at most maxSide', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9000 }),
        fc.integer({ min: 1, max: 9000 }),
        fc.constantFrom(...ROTATIONS),
        fc.integer({ min: 1, max: 3000 }),
        (width, height, rotation, maxSide) => {
          const plan = planPage(width, height, { rotation, maxSide });
          const turned = rotatedSize(width, height, rotation);
          expect(Math.max(plan.width, plan.height)).toBeLessThanOrEqual(Math.max(maxSide, 1));
          expect(plan.width).toBeLessThanOrEqual(turned.width);
          expect(plan.height).toBeLessThanOrEqual(turned.height);
          const s = plan.source;
          const corners = [apply(plan.transform, s.x, s.y), apply(plan.transform, s.x + s.width, s.y + s.height)];
          const xs = corners.map((c) => c[0]!).sort((a, b) => a - b);
          const ys = corners.map((c) => c[1]!).sort((a, b) => a - b);
          expect(xs[0]).toBeCloseTo(0, 6);
          expect(xs[1]).toBeCloseTo(plan.width, 6);
          expect(ys[0]).toBeCloseTo(0, 6);
          expect(ys[1]).toBeCloseTo(plan.height, 6);
        },
      ),
      { numRuns: 500 },
    );
  });
});
