/**
 * Quality metrics for the resize and codec benchmarks. Pure functions over RGBA
 * buffers (no DOM), so they can run in the worker and be checked anywhere.
 */
import type { RGBAImage } from '$lib/core/image';
import type { Stat } from './protocol';

export function summarise(samples: number[], warmup: number): Stat {
	const s = [...samples].sort((a, b) => a - b);
	const n = s.length;
	const median = n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	const r = (x: number) => Math.round(x * 100) / 100;
	return {
		median_ms: r(median),
		min_ms: r(s[0]),
		max_ms: r(s[n - 1]),
		runs: n,
		warmup,
		samples_ms: samples.map(r)
	};
}

/** Rec.601 luma as floats, one per pixel. */
function luma(img: RGBAImage): Float32Array {
	const { width, height, data } = img;
	const y = new Float32Array(width * height);
	for (let i = 0, p = 0; i < y.length; i++, p += 4) y[i] = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
	return y;
}

/** Mean absolute 4-neighbour Laplacian of the luma over interior pixels: a plain sharpness score. */
export function sharpness(img: RGBAImage): number {
	const { width: w, height: h } = img;
	if (w < 3 || h < 3) return 0;
	const y = luma(img);
	let sum = 0;
	for (let j = 1; j < h - 1; j++) {
		for (let i = 1, p = j * w + 1; i < w - 1; i++, p++) {
			sum += Math.abs(4 * y[p] - y[p - 1] - y[p + 1] - y[p - w] - y[p + w]);
		}
	}
	return sum / ((w - 2) * (h - 2));
}

/**
 * A square grey zone plate (concentric-ring chirp): 127.5 + 127.5·cos(α r²), r from the
 * centre. The local ring frequency grows linearly with r, reaching `fMax` cycles/pixel at
 * r = size/2 (the middle of each side).
 */
export function zonePlate(size: number, fMax = 0.5): RGBAImage {
	const data = new Uint8ClampedArray(size * size * 4);
	const R = size / 2;
	const alpha = (Math.PI * fMax) / R;
	for (let y = 0, p = 0; y < size; y++) {
		const dy = y + 0.5 - R;
		for (let x = 0; x < size; x++, p += 4) {
			const dx = x + 0.5 - R;
			const v = 127.5 + 127.5 * Math.cos(alpha * (dx * dx + dy * dy));
			data[p] = data[p + 1] = data[p + 2] = v;
			data[p + 3] = 255;
		}
	}
	return { width: size, height: size, data };
}

/**
 * Scores a downscaled zone plate. Each output pixel centre is mapped back to source
 * coordinates; its ring frequency there is fMax·r/R cycles per source pixel, and the
 * output Nyquist limit is 0.5/scale in the same unit. An ideal low-pass shows flat
 * mid-grey wherever the rings are finer than that; whatever contrast remains there is
 * aliasing (moiré). The band is cut at 0.95·R so the source's own Nyquist limit and
 * the image edges stay out of it.
 */
export function zonePlateScores(out: RGBAImage, srcSize: number, fMax = 0.5) {
	const { width, height, data } = out;
	const R = srcSize / 2;
	const alpha = (Math.PI * fMax) / R;
	const sx = srcSize / width;
	const sy = srcSize / height;
	const scale = Math.max(sx, sy);
	const nyquistR = ((0.5 / scale) * R) / fMax; // source radius where ring freq = output Nyquist
	const outer = 0.95 * R;
	let aliasSum = 0, aliasMean = 0, aliasN = 0, farSum = 0, farN = 0;
	let cross = 0, ideal2 = 0;
	for (let y = 0, p = 0; y < height; y++) {
		const dy = (y + 0.5) * sy - R;
		for (let x = 0; x < width; x++, p += 4) {
			const dx = (x + 0.5) * sx - R;
			const r = Math.hypot(dx, dy);
			const g = (data[p] + data[p + 1] + data[p + 2]) / 3 - 127.5;
			if (r > nyquistR && r <= outer) {
				aliasSum += g * g;
				aliasMean += g;
				aliasN++;
				if (r > 2 * nyquistR) {
					farSum += g * g;
					farN++;
				}
			} else if (r <= 0.5 * nyquistR) {
				const ideal = 127.5 * Math.cos(alpha * r * r);
				cross += g * ideal;
				ideal2 += ideal * ideal;
			}
		}
	}
	return {
		alias_rms: round3(Math.sqrt(aliasSum / Math.max(1, aliasN))),
		alias_far_rms: round3(Math.sqrt(farSum / Math.max(1, farN))),
		passband_gain: round3(ideal2 > 0 ? cross / ideal2 : NaN),
		alias_band_mean_offset: round3(aliasMean / Math.max(1, aliasN))
	};
}

/** Box-filter weights with fractional coverage: output i averages source [i·s, (i+1)·s). */
function boxTable(src: number, dst: number) {
	const s = src / dst;
	const start = new Int32Array(dst);
	const lists: Float64Array[] = [];
	for (let i = 0; i < dst; i++) {
		const a = i * s;
		const b = (i + 1) * s;
		const j0 = Math.floor(a);
		const j1 = Math.min(src, Math.ceil(b));
		const w = new Float64Array(j1 - j0);
		for (let j = j0; j < j1; j++) w[j - j0] = (Math.min(j + 1, b) - Math.max(j, a)) / s;
		start[i] = j0;
		lists.push(w);
	}
	return { start, lists };
}

/**
 * Exact area averaging (every source pixel contributes in proportion to the part of it
 * each output pixel covers) of the RGB channels, as floats: the reference for PSNR.
 */
export function areaAverageRGB(img: RGBAImage, width: number, height: number): Float32Array {
	const { width: sw, height: sh, data } = img;
	const tx = boxTable(sw, width);
	const ty = boxTable(sh, height);
	const mid = new Float32Array(sh * width * 3);
	for (let y = 0; y < sh; y++) {
		const row = y * sw * 4;
		for (let x = 0; x < width; x++) {
			const w = tx.lists[x];
			let p = row + tx.start[x] * 4;
			let r = 0, g = 0, b = 0;
			for (let k = 0; k < w.length; k++, p += 4) {
				r += data[p] * w[k];
				g += data[p + 1] * w[k];
				b += data[p + 2] * w[k];
			}
			const o = (y * width + x) * 3;
			mid[o] = r;
			mid[o + 1] = g;
			mid[o + 2] = b;
		}
	}
	const out = new Float32Array(width * height * 3);
	for (let y = 0; y < height; y++) {
		const w = ty.lists[y];
		const y0 = ty.start[y];
		for (let x = 0; x < width * 3; x++) {
			let acc = 0;
			for (let k = 0; k < w.length; k++) acc += mid[(y0 + k) * width * 3 + x] * w[k];
			out[y * width * 3 + x] = acc;
		}
	}
	return out;
}

/** PSNR (dB) of an image's RGB against a float RGB reference of the same size. */
export function psnrVsFloat(img: RGBAImage, ref: Float32Array): number {
	const d = img.data;
	const n = img.width * img.height;
	if (ref.length !== n * 3) throw new Error(`reference has ${ref.length / 3} pixels, image ${n}`);
	let se = 0;
	for (let i = 0, p = 0, q = 0; i < n; i++, p += 4, q += 3) {
		const a = d[p] - ref[q], b = d[p + 1] - ref[q + 1], c = d[p + 2] - ref[q + 2];
		se += a * a + b * b + c * c;
	}
	return psnrFromMse(se / (n * 3));
}

/** PSNR (dB) between two 8-bit images' RGB channels. */
export function psnrRGB(x: RGBAImage, y: RGBAImage): number {
	if (x.width !== y.width || x.height !== y.height) throw new Error(`size mismatch ${x.width}×${x.height} vs ${y.width}×${y.height}`);
	const a = x.data, b = y.data;
	let se = 0;
	for (let p = 0; p < a.length; p += 4) {
		const r = a[p] - b[p], g = a[p + 1] - b[p + 1], bl = a[p + 2] - b[p + 2];
		se += r * r + g * g + bl * bl;
	}
	return psnrFromMse(se / ((a.length / 4) * 3));
}

/** Capped at 100 dB, which stands for bit-identical (JSON has no Infinity). */
function psnrFromMse(mse: number): number {
	return mse === 0 ? 100 : Math.min(100, round3(10 * Math.log10((255 * 255) / mse)));
}

/** Sharpness of a float RGB image (the area-average reference), for comparison with the methods. */
export function sharpnessOfFloatRGB(ref: Float32Array, width: number, height: number): number {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let i = 0, p = 0, q = 0; i < width * height; i++, p += 4, q += 3) {
		data[p] = ref[q];
		data[p + 1] = ref[q + 1];
		data[p + 2] = ref[q + 2];
		data[p + 3] = 255;
	}
	return sharpness({ width, height, data });
}

export function round3(x: number): number {
	return Math.round(x * 1000) / 1000;
}
