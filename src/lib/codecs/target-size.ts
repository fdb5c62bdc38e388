/**
 * Encode under a byte budget: the highest quality whose output fits, found by binary
 * search (file size is close enough to monotonic in quality), optionally shrinking the
 * image when even the lowest quality is too big.
 */
import { DarkroomError, invalidParam } from '../api/errors';
import type { RGBAImage } from '../core/image';
import { encode } from './encode';
import { OUTPUT_FORMATS, type EncodeOptions, type OutputFormat } from './types';

export interface TargetSizeOptions {
	format: OutputFormat;
	targetBytes: number;
	/** Shrink the image when the lowest quality is still too big (default false). */
	allowDownscale?: boolean;
	/** Lowest quality the search may go to (default 1). */
	minQuality?: number;
	dpi?: number;
	metadata?: EncodeOptions['metadata'];
}

export interface TargetSizeResult {
	bytes: Uint8Array;
	quality: number;
	width: number;
	height: number;
}

const MAX_DOWNSCALE_STEPS = 16;

export async function encodeToTargetBytes(img: RGBAImage, opts: TargetSizeOptions): Promise<TargetSizeResult> {
	const { format, targetBytes } = opts;
	if (!OUTPUT_FORMATS.includes(format)) throw invalidParam('format', `one of ${OUTPUT_FORMATS.join(', ')}`, format);
	if (typeof targetBytes !== 'number' || !Number.isInteger(targetBytes) || targetBytes <= 0) throw invalidParam('target_bytes', 'positive integer', targetBytes);
	const minQuality = opts.minQuality ?? 1;
	if (typeof minQuality !== 'number' || !Number.isInteger(minQuality) || minQuality < 1 || minQuality > 100) throw invalidParam('min_quality', 'integer between 1 and 100', minQuality);

	let current = img;
	for (let step = 0; ; step++) {
		const found = await fitAtSize(current, opts, minQuality);
		if ('bytes' in found) return { ...found, width: current.width, height: current.height };
		const at = format === 'png' ? 'optimised png' : `${format} at quality ${minQuality}`;
		if (!opts.allowDownscale) {
			throw new DarkroomError(
				'unprocessable',
				`Cannot reach target_bytes=${targetBytes}: smallest ${at} is ${found.smallest} bytes; pass allow_downscale: true to allow shrinking`
			);
		}
		if ((current.width === 1 && current.height === 1) || step >= MAX_DOWNSCALE_STEPS) {
			throw new DarkroomError('unprocessable', `Cannot reach target_bytes=${targetBytes}: even at ${current.width} x ${current.height} px the smallest ${at} is ${found.smallest} bytes`);
		}
		// Bytes scale roughly with pixel count, so each side shrinks by sqrt(ratio), with a
		// 5% margin so a near miss does not cost another round.
		const f = Math.min(0.95, Math.sqrt(targetBytes / found.smallest) * 0.95);
		current = downscaleArea(current, Math.max(1, Math.floor(current.width * f)), Math.max(1, Math.floor(current.height * f)));
	}
}

type Fit = { bytes: Uint8Array; quality: number } | { smallest: number };

async function fitAtSize(img: RGBAImage, opts: TargetSizeOptions, minQuality: number): Promise<Fit> {
	const base = { format: opts.format, dpi: opts.dpi, metadata: opts.metadata };
	if (opts.format === 'png') {
		const plain = await encode(img, base);
		if (plain.length <= opts.targetBytes) return { bytes: plain, quality: 100 };
		const optimised = await encode(img, { ...base, optimize: true });
		if (optimised.length <= opts.targetBytes) return { bytes: optimised, quality: 100 };
		return { smallest: optimised.length };
	}
	// Binary search over integer qualities: at most ceil(log2(101)) = 7 encodes, and when
	// nothing fits the last probe is minQuality itself, which gives the smallest size.
	let lo = minQuality;
	let hi = 100;
	let best: { bytes: Uint8Array; quality: number } | undefined;
	let smallest = Infinity;
	while (lo <= hi) {
		const q = (lo + hi) >> 1;
		const bytes = await encode(img, { ...base, quality: q });
		if (bytes.length <= opts.targetBytes) {
			best = { bytes, quality: q };
			lo = q + 1;
		} else {
			smallest = Math.min(smallest, bytes.length);
			hi = q - 1;
		}
	}
	return best ?? { smallest };
}

/**
 * Area-average downscale (each output pixel is the coverage-weighted mean of the source
 * pixels under it), with alpha-weighted colour so transparent pixels do not darken edges.
 */
export function downscaleArea(img: RGBAImage, w: number, h: number): RGBAImage {
	const sw = img.width;
	const sh = img.height;
	if (w >= sw && h >= sh) return img;
	const src = img.data;
	const sx = sw / w;
	const sy = sh / h;
	// Horizontal pass into premultiplied floats: sw×sh → w×sh.
	const tmp = new Float32Array(w * sh * 4);
	for (let x = 0; x < w; x++) {
		const x0 = x * sx;
		const x1 = x0 + sx;
		for (let xs = Math.floor(x0); xs < Math.min(sw, Math.ceil(x1)); xs++) {
			const wt = Math.min(x1, xs + 1) - Math.max(x0, xs);
			if (wt <= 0) continue;
			for (let y = 0; y < sh; y++) {
				const s = (y * sw + xs) * 4;
				const d = (y * w + x) * 4;
				const a = src[s + 3] * wt;
				tmp[d] += src[s] * a;
				tmp[d + 1] += src[s + 1] * a;
				tmp[d + 2] += src[s + 2] * a;
				tmp[d + 3] += a;
			}
		}
	}
	const out = new Uint8ClampedArray(w * h * 4);
	const acc = new Float64Array(4);
	for (let y = 0; y < h; y++) {
		const y0 = y * sy;
		const y1 = y0 + sy;
		for (let x = 0; x < w; x++) {
			acc.fill(0);
			for (let ys = Math.floor(y0); ys < Math.min(sh, Math.ceil(y1)); ys++) {
				const wt = Math.min(y1, ys + 1) - Math.max(y0, ys);
				if (wt <= 0) continue;
				const s = (ys * w + x) * 4;
				acc[0] += tmp[s] * wt;
				acc[1] += tmp[s + 1] * wt;
				acc[2] += tmp[s + 2] * wt;
				acc[3] += tmp[s + 3] * wt;
			}
			const d = (y * w + x) * 4;
			const area = sx * sy;
			if (acc[3] > 0) {
				out[d] = acc[0] / acc[3];
				out[d + 1] = acc[1] / acc[3];
				out[d + 2] = acc[2] / acc[3];
			}
			out[d + 3] = acc[3] / area;
		}
	}
	return { width: w, height: h, data: out };
}
