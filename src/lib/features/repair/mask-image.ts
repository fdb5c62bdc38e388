/**
 * MaskPic → mask: white = remove. The mask image may be any size: it is scaled to the
 * image (bilinear over the per-pixel "whiteness" = luma × alpha), then thresholded at 128,
 * so a black-and-white mask drawn at another resolution keeps its shapes.
 */
import { DarkroomError } from '../../api/errors';
import type { RGBAImage } from '../../core/image';

/** 0–255 per mask pixel: BT.601 luma scaled by alpha (transparent counts as black). */
function whiteness(m: RGBAImage): Float32Array {
	const d = m.data;
	const out = new Float32Array(m.width * m.height);
	for (let i = 0, j = 0; j < out.length; i += 4, j++) out[j] = ((0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]) * d[i + 3]) / 255;
	return out;
}

/** The w × h 0/1 mask of `maskImg` (white ≥ 128 = 1), scaled to the target size. */
export function maskFromImage(maskImg: RGBAImage, w: number, h: number): Uint8Array {
	const mw = maskImg.width;
	const mh = maskImg.height;
	const v = whiteness(maskImg);
	const mask = new Uint8Array(w * h);
	if (mw === w && mh === h) {
		for (let i = 0; i < mask.length; i++) mask[i] = v[i] >= 128 ? 1 : 0;
		return mask;
	}
	// Pixel-centre mapping, clamped at the edges (as a bilinear resize does).
	const sx = mw / w;
	const sy = mh / h;
	const x0s = new Int32Array(w), x1s = new Int32Array(w), fxs = new Float32Array(w);
	for (let x = 0; x < w; x++) {
		const fx = Math.min(mw - 1, Math.max(0, (x + 0.5) * sx - 0.5));
		x0s[x] = Math.floor(fx);
		x1s[x] = Math.min(mw - 1, x0s[x] + 1);
		fxs[x] = fx - x0s[x];
	}
	for (let y = 0; y < h; y++) {
		const fy = Math.min(mh - 1, Math.max(0, (y + 0.5) * sy - 0.5));
		const y0 = Math.floor(fy);
		const y1 = Math.min(mh - 1, y0 + 1);
		const ty = fy - y0;
		const r0 = y0 * mw, r1 = y1 * mw;
		for (let x = 0; x < w; x++) {
			const a = v[r0 + x0s[x]] + (v[r0 + x1s[x]] - v[r0 + x0s[x]]) * fxs[x];
			const b = v[r1 + x0s[x]] + (v[r1 + x1s[x]] - v[r1 + x0s[x]]) * fxs[x];
			mask[y * w + x] = a + (b - a) * ty >= 128 ? 1 : 0;
		}
	}
	return mask;
}

/** Pixels set in a mask. */
export function countMask(mask: Uint8Array): number {
	let n = 0;
	for (let i = 0; i < mask.length; i++) n += mask[i];
	return n;
}

/**
 * The checks every mask passes before inpainting: something to remove, and something left
 * to fill from. Both are 400s naming the parameter.
 */
export function checkMask(mask: Uint8Array, w: number, h: number, param: string, what: string): number {
	const n = countMask(mask);
	if (n === 0)
		throw new DarkroomError(
			'invalid_parameter',
			`Invalid ${param}: the mask is empty${what ? ` (${what})` : ''}; white (luma ≥ 128, opaque) marks the pixels to remove`,
			param
		);
	if (n === w * h) throw new DarkroomError('invalid_parameter', `Invalid ${param}: the mask covers the whole ${w} x ${h} image, leaving nothing to repair it from`, param);
	return n;
}
