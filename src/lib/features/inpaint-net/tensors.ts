/**
 * Pixels ↔ the networks' tensors, and the crop/scale/pad steps between them. Pure.
 *
 * Hole pixels are never shown to a network: the crop's hole is zeroed before anything else,
 * and when the crop is scaled the hole is widened to every run pixel whose resampling
 * footprint touches a hole pixel (so no zeroed colour leaks into what the network sees as known).
 */
import type { Box } from '../../core/inpaint/regions';
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';

/** A crop's pixels (opaque, hole zeroed) and its hole (1 = hole). */
export interface HoleCrop {
	img: RGBAImage;
	hole: Uint8Array;
}

/** The crop `b` of `img` as an opaque RGBA image with its hole pixels zeroed, and that hole. */
export function cropWithHole(img: RGBAImage, mask: Uint8Array, b: Box): HoleCrop {
	const w = b.x1 - b.x0;
	const h = b.y1 - b.y0;
	const data = new Uint8ClampedArray(w * h * 4);
	const hole = new Uint8Array(w * h);
	const d = img.data;
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const i = (b.y0 + y) * img.width + b.x0 + x;
			const j = y * w + x;
			data[j * 4 + 3] = 255;
			if (mask[i]) {
				hole[j] = 1;
				continue;
			}
			data[j * 4] = d[i * 4];
			data[j * 4 + 1] = d[i * 4 + 1];
			data[j * 4 + 2] = d[i * 4 + 2];
		}
	return { img: { width: w, height: h, data }, hole };
}

/**
 * The hole at rw×rh for a crop resampled from w×h with the 'linear' kernel: a run pixel is a
 * hole when any source pixel within the filter's reach (its footprint ± one source pixel) is.
 */
export function scaleHole(hole: Uint8Array, w: number, h: number, rw: number, rh: number): Uint8Array {
	if (rw === w && rh === h) return hole.slice();
	// Summed-area table for O(1) "any hole in this rectangle".
	const sat = new Int32Array((w + 1) * (h + 1));
	for (let y = 0; y < h; y++) {
		let row = 0;
		for (let x = 0; x < w; x++) {
			row += hole[y * w + x];
			sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
		}
	}
	const span = (i: number, n: number, rn: number): [number, number] => {
		const f = n / rn;
		const c = (i + 0.5) * f - 0.5;
		const r = Math.max(1, f) + 1;
		return [Math.max(0, Math.floor(c - r)), Math.min(n - 1, Math.ceil(c + r))];
	};
	const xs = Array.from({ length: rw }, (_, x) => span(x, w, rw));
	const out = new Uint8Array(rw * rh);
	for (let y = 0; y < rh; y++) {
		const [y0, y1] = span(y, h, rh);
		for (let x = 0; x < rw; x++) {
			const [x0, x1] = xs[x];
			const n = sat[(y1 + 1) * (w + 1) + x1 + 1] - sat[y0 * (w + 1) + x1 + 1] - sat[(y1 + 1) * (w + 1) + x0] + sat[y0 * (w + 1) + x0];
			out[y * rw + x] = n > 0 ? 1 : 0;
		}
	}
	return out;
}

/** The crop at rw×rh for the network, with its hole there (zeroed again after resampling). */
export function scaleCrop(c: HoleCrop, rw: number, rh: number): HoleCrop {
	const { width: w, height: h } = c.img;
	if (rw === w && rh === h) return { img: { width: w, height: h, data: new Uint8ClampedArray(c.img.data) }, hole: c.hole.slice() };
	const img = resizeImage(c.img, rw, rh, 'linear');
	const hole = scaleHole(c.hole, w, h, rw, rh);
	for (let i = 0; i < hole.length; i++) if (hole[i]) img.data[i * 4] = img.data[i * 4 + 1] = img.data[i * 4 + 2] = 0;
	return { img, hole };
}

/** Mirror index into 0..n-1 without repeating the edge (…2 1 0 1 2…), as numpy's 'reflect'. */
function reflect(i: number, n: number): number {
	if (n === 1) return 0;
	const p = 2 * (n - 1);
	i = ((i % p) + p) % p;
	return i < n ? i : p - i;
}

/** Pads a crop on the right and bottom to pw×ph by reflection (pixels and hole alike). */
export function reflectPad(c: HoleCrop, pw: number, ph: number): HoleCrop {
	const { width: w, height: h } = c.img;
	if (pw === w && ph === h) return c;
	const data = new Uint8ClampedArray(pw * ph * 4);
	const hole = new Uint8Array(pw * ph);
	for (let y = 0; y < ph; y++) {
		const sy = reflect(y, h);
		for (let x = 0; x < pw; x++) {
			const s = sy * w + reflect(x, w);
			const j = y * pw + x;
			hole[j] = c.hole[s];
			data.set(c.img.data.subarray(s * 4, s * 4 + 4), j * 4);
		}
	}
	return { img: { width: pw, height: ph, data }, hole };
}

/** MI-GAN pipeline v2 feeds: image uint8 [1,3,H,W] (RGB planes), mask uint8 [1,1,H,W] with 0 = hole, 255 = keep. */
export function packMigan(c: HoleCrop): { image: Uint8Array; mask: Uint8Array } {
	const n = c.img.width * c.img.height;
	const image = new Uint8Array(3 * n);
	const mask = new Uint8Array(n);
	const d = c.img.data;
	for (let i = 0; i < n; i++) {
		const keep = !c.hole[i];
		mask[i] = keep ? 255 : 0;
		if (!keep) continue;
		image[i] = d[i * 4];
		image[n + i] = d[i * 4 + 1];
		image[2 * n + i] = d[i * 4 + 2];
	}
	return { image, mask };
}

/** LaMa feeds: image float32 [1,3,H,W] in 0..1, mask float32 [1,1,H,W] with 1 = hole. */
export function packLama(c: HoleCrop): { image: Float32Array; mask: Float32Array } {
	const n = c.img.width * c.img.height;
	const image = new Float32Array(3 * n);
	const mask = new Float32Array(n);
	const d = c.img.data;
	for (let i = 0; i < n; i++) {
		if (c.hole[i]) {
			mask[i] = 1;
			continue;
		}
		image[i] = d[i * 4] / 255;
		image[n + i] = d[i * 4 + 1] / 255;
		image[2 * n + i] = d[i * 4 + 2] / 255;
	}
	return { image, mask };
}

/**
 * A [1,3,H,W] output as an opaque RGBA image. `scale` is the value of white: 255 for uint8 and
 * 0..255 float outputs, 1 for 0..1 floats. Out-of-range values clamp; NaN becomes 0.
 */
export function unpackChw(values: ArrayLike<number>, w: number, h: number, scale: 1 | 255): RGBAImage {
	const n = w * h;
	if (values.length < 3 * n) throw new RangeError(`Expected ${3 * n} output values for ${w}×${h} but received ${values.length}`);
	const data = new Uint8ClampedArray(n * 4);
	const k = 255 / scale;
	for (let i = 0; i < n; i++) {
		// Uint8ClampedArray rounds, clamps to 0..255 and turns NaN into 0.
		data[i * 4] = values[i] * k;
		data[i * 4 + 1] = values[n + i] * k;
		data[i * 4 + 2] = values[2 * n + i] * k;
		data[i * 4 + 3] = 255;
	}
	return { width: w, height: h, data };
}

/** The top-left w×h of `img` (drops reflection padding). */
export function unpad(img: RGBAImage, w: number, h: number): RGBAImage {
	if (img.width === w && img.height === h) return img;
	const data = new Uint8ClampedArray(w * h * 4);
	for (let y = 0; y < h; y++) data.set(img.data.subarray(y * img.width * 4, (y * img.width + w) * 4), y * w * 4);
	return { width: w, height: h, data };
}
