// Cutting a page by hand (crop-editor.tsx): moving one edge of the crop, kept inside the
// photo and never too small, and the crop turned with the photo. Pure arithmetic on the
// fractions src/papers takes (kept here, outside the lazily loaded page pipeline).
import type { Crop } from '../papers';

/** The smallest side a crop can be cut to by hand, in fractions (a tenth of the photo). */
export const MIN_CROP = 0.1;

export type CropEdge = 'top' | 'right' | 'bottom' | 'left';

/** `crop` with one edge moved to `at` (a fraction of the photo), kept inside it and at least MIN_CROP wide and high. */
export function moveEdge(crop: Crop, edge: CropEdge, at: number): Crop {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  const right = crop.x + crop.width;
  const bottom = crop.y + crop.height;
  switch (edge) {
    case 'left': {
      const x = round(clamp(at, 0, right - MIN_CROP));
      return { ...crop, x, width: round(right - x) };
    }
    case 'right':
      return { ...crop, width: round(clamp(at, crop.x + MIN_CROP, 1) - crop.x) };
    case 'top': {
      const y = round(clamp(at, 0, bottom - MIN_CROP));
      return { ...crop, y, height: round(bottom - y) };
    }
    case 'bottom':
      return { ...crop, height: round(clamp(at, crop.y + MIN_CROP, 1) - crop.y) };
  }
}

/** Where an edge of `crop` is, in fractions of the photo. */
export function edgeAt(crop: Crop, edge: CropEdge): number {
  if (edge === 'left') return crop.x;
  if (edge === 'right') return crop.x + crop.width;
  if (edge === 'top') return crop.y;
  return crop.y + crop.height;
}

/** The same part of the photo once the photo is turned a quarter clockwise. */
export function turnCrop(crop: Crop): Crop {
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  return { x: round(1 - crop.y - crop.height), y: crop.x, width: crop.height, height: crop.width };
}

export const FULL_CROP: Crop = { x: 0, y: 0, width: 1, height: 1 };
