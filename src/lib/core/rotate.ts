import { invalidParam } from '../api/errors';
import { TRANSPARENT } from './color';
import type { RGBA, RGBAImage } from './image';
import { applyOrientation } from './orient';

/** Degrees folded into [0, 360). */
function normalizeDegrees(degrees: number): number {
	const d = degrees % 360;
	return d < 0 ? d + 360 : d;
}

/**
 * Size of the canvas that holds a w×h image rotated by `degrees`: the rotated
 * bounding box, rounded to the nearest pixel as libvips/sharp do (a 320×261 image at
 * 30° becomes 408×386). Quarter turns are exact (w and h, or swapped).
 */
export function rotatedSize(width: number, height: number, degrees: number): { width: number; height: number } {
	const d = normalizeDegrees(degrees);
	if (d === 0 || d === 180) return { width, height };
	if (d === 90 || d === 270) return { width: height, height: width };
	const rad = (d * Math.PI) / 180;
	const c = Math.abs(Math.cos(rad));
	const s = Math.abs(Math.sin(rad));
	return {
		width: Math.max(1, Math.round(width * c + height * s)),
		height: Math.max(1, Math.round(width * s + height * c))
	};
}

/**
 * Rotates clockwise by `degrees` (sharp's convention; negative turns anticlockwise).
 * Quarter turns are lossless index shuffles. Any other angle grows the canvas to the
 * rotated bounding box and samples bilinearly (libvips' default for rotate) in
 * premultiplied alpha; pixels beyond the source read as `background`, which is what
 * gives the rotated edges a one-pixel antialiased blend into it. Transparent pixels
 * inside the image stay transparent: the background only fills the corners.
 */
export function rotateImage(img: RGBAImage, degrees: number, background: RGBA = TRANSPARENT): RGBAImage {
	if (typeof degrees !== 'number' || !Number.isFinite(degrees)) throw invalidParam('degrees', 'finite number', degrees);
	const d = normalizeDegrees(degrees);
	if (d === 0) return { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) };
	if (d === 90) return applyOrientation(img, 6);
	if (d === 180) return applyOrientation(img, 3);
	if (d === 270) return applyOrientation(img, 8);
	return rotateBilinear(img, d, background);
}

function rotateBilinear(img: RGBAImage, degrees: number, background: RGBA): RGBAImage {
	const w = img.width;
	const h = img.height;
	const src = img.data;
	const { width: W, height: H } = rotatedSize(w, h, degrees);
	const out = new Uint8ClampedArray(W * H * 4);

	const rad = (degrees * Math.PI) / 180;
	const cos = Math.cos(rad);
	const sin = Math.sin(rad);
	const bgA = background[3];
	const bgF = bgA / 255;
	const bgR = background[0] * bgF;
	const bgG = background[1] * bgF;
	const bgB = background[2] * bgF;

	// Inverse map: output pixel centre → source coordinates in pixel-centre units
	// (source pixel i spans [i - 0.5, i + 0.5]).
	const cxOut = W / 2;
	const cyOut = H / 2;
	const cxIn = w / 2 - 0.5;
	const cyIn = h / 2 - 0.5;

	const stride = w * 4;
	for (let Y = 0; Y < H; Y++) {
		const dy = Y + 0.5 - cyOut;
		const dx0 = 0.5 - cxOut;
		// Stepping X by one moves the source point by (cos, −sin): no per-pixel trig or products.
		let sx = cos * dx0 + sin * dy + cxIn;
		let sy = -sin * dx0 + cos * dy + cyIn;
		let o = Y * W * 4;
		for (let X = 0; X < W; X++, o += 4, sx += cos, sy -= sin) {
			const x0 = Math.floor(sx);
			const y0 = Math.floor(sy);
			const fx = sx - x0;
			const fy = sy - y0;
			if (x0 >= 0 && y0 >= 0 && x0 < w - 1 && y0 < h - 1) {
				// Interior: weight each tap by its alpha, so colour = Σ c·α·w / Σ α·w (premultiplied bilinear).
				const i00 = y0 * stride + x0 * 4;
				const i10 = i00 + 4;
				const i01 = i00 + stride;
				const i11 = i01 + 4;
				const a00 = src[i00 + 3] * (1 - fx) * (1 - fy);
				const a10 = src[i10 + 3] * fx * (1 - fy);
				const a01 = src[i01 + 3] * (1 - fx) * fy;
				const a11 = src[i11 + 3] * fx * fy;
				const a = a00 + a10 + a01 + a11;
				if (a <= 0) continue; // out is zero-filled: fully transparent
				const inv = 1 / a;
				out[o] = (src[i00] * a00 + src[i10] * a10 + src[i01] * a01 + src[i11] * a11) * inv;
				out[o + 1] = (src[i00 + 1] * a00 + src[i10 + 1] * a10 + src[i01 + 1] * a01 + src[i11 + 1] * a11) * inv;
				out[o + 2] = (src[i00 + 2] * a00 + src[i10 + 2] * a10 + src[i01 + 2] * a01 + src[i11 + 2] * a11) * inv;
				out[o + 3] = a;
				continue;
			}
			if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) {
				out[o] = background[0];
				out[o + 1] = background[1];
				out[o + 2] = background[2];
				out[o + 3] = bgA;
				continue;
			}
			// Along the border: taps outside the source read as the (premultiplied) background.
			let r = 0, g = 0, b = 0, a = 0;
			for (let t = 0; t < 4; t++) {
				const xi = x0 + (t & 1);
				const yi = y0 + (t >> 1);
				const wgt = ((t & 1) ? fx : 1 - fx) * ((t >> 1) ? fy : 1 - fy);
				if (wgt === 0) continue;
				if (xi < 0 || yi < 0 || xi >= w || yi >= h) {
					r += bgR * wgt;
					g += bgG * wgt;
					b += bgB * wgt;
					a += bgA * wgt;
				} else {
					const si = yi * stride + xi * 4;
					const pa = src[si + 3];
					const f = (pa / 255) * wgt;
					r += src[si] * f;
					g += src[si + 1] * f;
					b += src[si + 2] * f;
					a += pa * wgt;
				}
			}
			if (a <= 0) continue;
			const inv = 255 / a;
			out[o] = r * inv;
			out[o + 1] = g * inv;
			out[o + 2] = b * inv;
			out[o + 3] = a;
		}
	}
	return { width: W, height: H, data: out };
}
