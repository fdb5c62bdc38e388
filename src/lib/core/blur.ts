/**
 * Blurs over RGBA pixel buffers: a Gaussian approximated by three box passes per axis
 * (running sums, so the cost does not grow with the radius), and pixelation.
 */
import type { RGBAImage } from './image';

/**
 * Box radii whose three successive passes approximate a Gaussian of `sigma`
 * (Kovesi, "Fast almost-Gaussian filtering"): the variance of three boxes matches σ².
 */
export function boxRadiiForGaussian(sigma: number, passes = 3): number[] {
	if (!(sigma > 0)) return new Array(passes).fill(0);
	const wIdeal = Math.sqrt((12 * sigma * sigma) / passes + 1);
	let wl = Math.floor(wIdeal);
	if (wl % 2 === 0) wl--;
	const wu = wl + 2;
	const mIdeal = (12 * sigma * sigma - passes * wl * wl - 4 * passes * wl - 3 * passes) / (-4 * wl - 4);
	const m = Math.round(mIdeal);
	return Array.from({ length: passes }, (_, i) => ((i < m ? wl : wu) - 1) / 2);
}

/** One box pass along rows (horizontal) of `channels` interleaved float planes, edges clamped. */
function boxRows(src: Float32Array, dst: Float32Array, w: number, h: number, ch: number, r: number): void {
	const norm = 1 / (2 * r + 1);
	const acc = new Float64Array(ch);
	for (let y = 0; y < h; y++) {
		const row = y * w * ch;
		for (let c = 0; c < ch; c++) {
			// Window [x − r, x + r] with edge pixels repeated.
			let s = (r + 1) * src[row + c];
			for (let k = 1; k <= r; k++) s += src[row + Math.min(w - 1, k) * ch + c];
			acc[c] = s;
		}
		for (let x = 0; x < w; x++) {
			const addX = Math.min(w - 1, x + r + 1);
			const subX = Math.max(0, x - r);
			for (let c = 0; c < ch; c++) {
				dst[row + x * ch + c] = acc[c] * norm;
				acc[c] += src[row + addX * ch + c] - src[row + subX * ch + c];
			}
		}
	}
}

function transpose(src: Float32Array, dst: Float32Array, w: number, h: number, ch: number): void {
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const s = (y * w + x) * ch;
			const d = (x * h + y) * ch;
			for (let c = 0; c < ch; c++) dst[d + c] = src[s + c];
		}
}

/**
 * Gaussian-like blur of an interleaved float buffer (`ch` values per pixel), in place.
 * Three box passes along x, then (through a transpose) three along y.
 */
export function blurPlanes(buf: Float32Array, w: number, h: number, ch: number, sigma: number): Float32Array {
	const radii = boxRadiiForGaussian(sigma).filter((r) => r > 0);
	if (radii.length === 0 || w === 0 || h === 0) return buf;
	let a: Float32Array = buf;
	let b: Float32Array = new Float32Array(buf.length);
	for (const r of radii) {
		boxRows(a, b, w, h, ch, Math.min(r, w));
		[a, b] = [b, a];
	}
	transpose(a, b, w, h, ch);
	[a, b] = [b, a];
	for (const r of radii) {
		boxRows(a, b, h, w, ch, Math.min(r, h));
		[a, b] = [b, a];
	}
	transpose(a, b, h, w, ch);
	if (b !== buf) buf.set(b);
	return buf;
}

/**
 * A blurred copy of `img` (σ in pixels). Colour is blurred premultiplied by alpha, so
 * transparent pixels lend no colour to their neighbours.
 */
export function gaussianBlur(img: RGBAImage, sigma: number): RGBAImage {
	const { width: w, height: h, data } = img;
	const buf = new Float32Array(w * h * 4);
	for (let i = 0; i < data.length; i += 4) {
		const a = data[i + 3] / 255;
		buf[i] = data[i] * a;
		buf[i + 1] = data[i + 1] * a;
		buf[i + 2] = data[i + 2] * a;
		buf[i + 3] = a;
	}
	blurPlanes(buf, w, h, 4, sigma);
	const out = new Uint8ClampedArray(data.length);
	for (let i = 0; i < out.length; i += 4) {
		const a = buf[i + 3];
		if (a <= 1e-6) continue;
		out[i] = buf[i] / a;
		out[i + 1] = buf[i + 1] / a;
		out[i + 2] = buf[i + 2] / a;
		out[i + 3] = a * 255;
	}
	return { width: w, height: h, data: out };
}

/**
 * Pixelates `img` in blocks of `block` px aligned to (`originX`, `originY`) (so that
 * neighbouring regions of one image share a grid): each block takes its mean colour.
 */
export function pixelate(img: RGBAImage, block: number, originX = 0, originY = 0): RGBAImage {
	const { width: w, height: h, data } = img;
	const out = new Uint8ClampedArray(data.length);
	const b = Math.max(1, Math.round(block));
	const ox = ((originX % b) + b) % b;
	const oy = ((originY % b) + b) % b;
	for (let by = -oy; by < h; by += b) {
		const y0 = Math.max(0, by);
		const y1 = Math.min(h, by + b);
		for (let bx = -ox; bx < w; bx += b) {
			const x0 = Math.max(0, bx);
			const x1 = Math.min(w, bx + b);
			let r = 0, g = 0, bl = 0, a = 0;
			for (let y = y0; y < y1; y++)
				for (let x = x0; x < x1; x++) {
					const i = (y * w + x) * 4;
					const al = data[i + 3];
					r += data[i] * al;
					g += data[i + 1] * al;
					bl += data[i + 2] * al;
					a += al;
				}
			const n = (y1 - y0) * (x1 - x0);
			const mr = a > 0 ? r / a : 0, mg = a > 0 ? g / a : 0, mb = a > 0 ? bl / a : 0, ma = a / n;
			for (let y = y0; y < y1; y++)
				for (let x = x0; x < x1; x++) {
					const i = (y * w + x) * 4;
					out[i] = mr;
					out[i + 1] = mg;
					out[i + 2] = mb;
					out[i + 3] = ma;
				}
		}
	}
	return { width: w, height: h, data: out };
}
