// Rotation, crop and scale of a page as pure arithmetic: from the decoded (upright) image's
// size and what the person chose, the output's size, the part of the image to read and the
// canvas transform that draws it there.

/** Clockwise quarter turns, applied to the upright image. */
export type Rotation = 0 | 90 | 180 | 270;

/**
 * A rectangle of the image as the person sees it (upright, then rotated), in fractions of
 * its width and height: {x: 0, y: 0, width: 1, height: 1} is the whole image. Fractions
 * keep it independent of the size of the preview it was drawn on.
 */
export interface Crop {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DrawPlan {
  /** The output's size in pixels. */
  width: number;
  height: number;
  /** The part of the decoded image to draw, in its own pixels. */
  source: Rect;
  /** For `setTransform(a, b, c, d, e, f)`: maps the decoded image's pixels to the output's. */
  transform: [number, number, number, number, number, number];
}

/** `current` turned by `quarterTurns` (negative: counter-clockwise). */
export function rotate(current: Rotation, quarterTurns: number): Rotation {
  return (((((current / 90 + quarterTurns) % 4) + 4) % 4) * 90) as Rotation;
}

/** The size of an image of `width` × `height` once turned by `rotation`. */
export function rotatedSize(width: number, height: number, rotation: Rotation): { width: number; height: number } {
  return rotation === 90 || rotation === 270 ? { width: height, height: width } : { width, height };
}

function checkCrop(crop: Crop) {
  const { x, y, width, height } = crop;
  const ok =
    [x, y, width, height].every(Number.isFinite) &&
    x >= 0 &&
    y >= 0 &&
    width > 0 &&
    height > 0 &&
    x + width <= 1 + 1e-9 &&
    y + height <= 1 + 1e-9;
  if (!ok) throw new RangeError(`crop out of the image: ${JSON.stringify(crop)}`);
}

/** The crop in pixels of the rotated image (at least one pixel each way). */
function cropPixels(crop: Crop | undefined, width: number, height: number): Rect {
  if (!crop) return { x: 0, y: 0, width, height };
  checkCrop(crop);
  const x0 = Math.min(width - 1, Math.round(crop.x * width));
  const y0 = Math.min(height - 1, Math.round(crop.y * height));
  const x1 = Math.max(x0 + 1, Math.min(width, Math.round((crop.x + crop.width) * width)));
  const y1 = Math.max(y0 + 1, Math.min(height, Math.round((crop.y + crop.height) * height)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * How to draw a decoded image of `width` × `height` (already upright) as a page: turned by
 * `rotation`, cut to `crop`, scaled so that its longer side is at most `maxSide` (never up).
 */
export function planPage(
  width: number,
  height: number,
  options: { rotation?: Rotation; crop?: Crop; maxSide: number },
): DrawPlan {
  const plan = turnCropScale(width, height, options);
  // No -0 in the transform (it would only confuse a reader of the numbers).
  plan.transform = plan.transform.map((v) => v + 0) as DrawPlan['transform'];
  return plan;
}

function turnCropScale(
  width: number,
  height: number,
  { rotation = 0, crop, maxSide }: { rotation?: Rotation; crop?: Crop; maxSide: number },
): DrawPlan {
  if (!(width >= 1 && height >= 1 && maxSide >= 1)) throw new RangeError('empty image or page');
  if (![0, 90, 180, 270].includes(rotation)) throw new RangeError(`rotation ${rotation}`);
  const turned = rotatedSize(width, height, rotation);
  const q = cropPixels(crop, turned.width, turned.height);
  const scale = Math.min(1, maxSide / Math.max(q.width, q.height));
  const out = { width: Math.max(1, Math.round(q.width * scale)), height: Math.max(1, Math.round(q.height * scale)) };
  const kx = out.width / q.width;
  const ky = out.height / q.height;
  const W = width;
  const H = height;
  // Output (ox, oy) = (kx · (qx − q.x), ky · (qy − q.y)), where (qx, qy) is the source pixel
  // (px, py) turned clockwise: 90° → (H − py, px), 180° → (W − px, H − py), 270° → (py, W − px).
  switch (rotation) {
    case 0:
      return { ...out, source: q, transform: [kx, 0, 0, ky, -kx * q.x, -ky * q.y] };
    case 90:
      return {
        ...out,
        source: { x: q.y, y: H - q.x - q.width, width: q.height, height: q.width },
        transform: [0, ky, -kx, 0, kx * (H - q.x), -ky * q.y],
      };
    case 180:
      return {
        ...out,
        source: { x: W - q.x - q.width, y: H - q.y - q.height, width: q.width, height: q.height },
        transform: [-kx, 0, 0, -ky, kx * (W - q.x), ky * (H - q.y)],
      };
    case 270:
      return {
        ...out,
        source: { x: W - q.y - q.height, y: q.x, width: q.height, height: q.width },
        transform: [0, -ky, kx, 0, -kx * q.x, ky * (W - q.y)],
      };
  }
}
