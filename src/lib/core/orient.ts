import type { RGBAImage } from './image';

/**
 * EXIF orientation (TIFF tag 0x0112): how the stored pixels must be transformed to be
 * shown upright. 1 = as stored; 2 mirror left-right; 3 rotate 180; 4 mirror top-bottom;
 * 5 transpose (mirror across the main diagonal); 6 rotate 90 CW; 7 transverse (mirror
 * across the anti-diagonal); 8 rotate 270 CW.
 */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export function isValidOrientation(o: unknown): o is Orientation {
	return typeof o === 'number' && Number.isInteger(o) && o >= 1 && o <= 8;
}

/** Orientations 5–8 swap width and height. */
export function swapsAxes(orientation: number): boolean {
	return orientation >= 5 && orientation <= 8;
}

/** Size of the image as displayed, after `orientation` is applied to a w × h stored image. */
export function orientedSize(width: number, height: number, orientation: number): { width: number; height: number } {
	return swapsAxes(orientation) ? { width: height, height: width } : { width, height };
}

/** One 32-bit word per pixel, so moves are a single copy (byte order does not matter). */
function pixelWords(img: RGBAImage): Uint32Array {
	const d = img.data;
	if (d.byteOffset % 4 === 0) return new Uint32Array(d.buffer, d.byteOffset, img.width * img.height);
	return new Uint32Array(new Uint8ClampedArray(d).buffer, 0, img.width * img.height);
}

/**
 * Returns a new image with `orientation` applied (a fresh buffer, also for 1, so callers
 * may transfer or mutate it). Unknown values are treated as 1, as browsers do.
 */
export function applyOrientation(img: RGBAImage, orientation: number): RGBAImage {
	const W = img.width;
	const H = img.height;
	const src = pixelWords(img);
	const o = isValidOrientation(orientation) ? orientation : 1;
	const { width: OW, height: OH } = orientedSize(W, H, o);
	const out = new Uint8ClampedArray(W * H * 4);
	const dst = new Uint32Array(out.buffer);

	switch (o) {
		case 1:
			dst.set(src);
			break;
		case 2:
			for (let y = 0; y < H; y++) {
				const row = y * W;
				for (let x = 0; x < W; x++) dst[row + x] = src[row + W - 1 - x];
			}
			break;
		case 3:
			for (let i = 0, n = W * H; i < n; i++) dst[i] = src[n - 1 - i];
			break;
		case 4:
			for (let y = 0; y < H; y++) dst.set(src.subarray((H - 1 - y) * W, (H - y) * W), y * W);
			break;
		// For 5–8 walk the source in order and scatter: the source reads stay sequential,
		// which is what matters for cache behaviour on large photos.
		case 5: // out(x, y) = in(y, x)
			for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) dst[x * OW + y] = src[y * W + x];
			break;
		case 6: // out(x, y) = in(y, H-1-x)
			for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) dst[x * OW + (H - 1 - y)] = src[y * W + x];
			break;
		case 7: // out(x, y) = in(W-1-y, H-1-x)
			for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) dst[(W - 1 - x) * OW + (H - 1 - y)] = src[y * W + x];
			break;
		case 8: // out(x, y) = in(W-1-y, x)
			for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) dst[(W - 1 - x) * OW + y] = src[y * W + x];
			break;
	}
	return { width: OW, height: OH, data: out };
}
