/**
 * From a detected quadrilateral to text: the line crop (perspective warp onto the line's
 * own rectangle), the direction classifier's and recogniser's inputs, and CTC decoding with
 * the PP-OCR dictionary. Pure: no model here (ocr.ts runs them).
 */
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import type { Point, Quad } from './geometry';

/** Recogniser input height and minimum (padded) width (PP-OCRv4 rec_image_shape 3×48×320). */
export const REC_HEIGHT = 48;
export const REC_MIN_WIDTH = 320;
/** Widest recogniser input: longer lines are squeezed to this (48 · 50: about 100 Latin characters). */
export const REC_MAX_WIDTH = 2400;
/** Direction classifier input (cls_image_shape 3×48×192). */
export const CLS_HEIGHT = 48;
export const CLS_WIDTH = 192;
/** A crop is flipped when the classifier gives '180' at least this probability. */
export const CLS_THRESH = 0.9;
/** Crops this much taller than wide are taken as vertical text and turned 90° (PaddleOCR: 1.5). */
export const VERTICAL_RATIO = 1.5;

/**
 * The 3×3 homography (row-major, h[8] = 1) mapping the 4 points `from` to the 4 points `to`.
 * Solves the usual 8×8 linear system by Gaussian elimination with partial pivoting.
 */
export function homography(from: readonly Point[], to: readonly Point[]): number[] {
	const a: number[][] = [];
	for (let i = 0; i < 4; i++) {
		const [x, y] = from[i];
		const [u, v] = to[i];
		a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
		a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
	}
	for (let c = 0; c < 8; c++) {
		let p = c;
		for (let r = c + 1; r < 8; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
		[a[c], a[p]] = [a[p], a[c]];
		const d = a[c][c] || 1e-12;
		for (let r = 0; r < 8; r++) {
			if (r === c) continue;
			const f = a[r][c] / d;
			if (f) for (let k = c; k < 9; k++) a[r][k] -= f * a[c][k];
		}
	}
	const h = a.map((row, i) => row[8] / (row[i] || 1e-12));
	h.push(1);
	return h;
}

/**
 * Upright crop of a (possibly rotated or skewed) text quadrilateral [tl, tr, br, bl]: the
 * output is max(top, bottom edge) wide and max(left, right edge) high, and each output
 * pixel is sampled bilinearly (edges clamped) through the perspective transform, as
 * PaddleOCR's get_rotate_crop_image. So a rotated line is read along its own rectangle,
 * not its axis-aligned bounding box. Crops at least VERTICAL_RATIO times taller than wide
 * are turned 90° counter-clockwise (vertical text).
 */
export function cropQuad(img: RGBAImage, box: Quad): RGBAImage {
	const d = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
	const w = Math.max(1, Math.round(Math.max(d(box[0], box[1]), d(box[3], box[2]))));
	const h = Math.max(1, Math.round(Math.max(d(box[0], box[3]), d(box[1], box[2]))));
	const m = homography(
		[
			[0, 0],
			[w, 0],
			[w, h],
			[0, h]
		],
		box
	);
	const out = new Uint8ClampedArray(w * h * 4);
	const src = img.data;
	const W = img.width;
	const H = img.height;
	for (let y = 0; y < h; y++) {
		for (let x = 0; x < w; x++) {
			// Sample at the output pixel's centre.
			const px = x + 0.5;
			const py = y + 0.5;
			const z = m[6] * px + m[7] * py + m[8];
			let sx = (m[0] * px + m[1] * py + m[2]) / z - 0.5;
			let sy = (m[3] * px + m[4] * py + m[5]) / z - 0.5;
			sx = sx < 0 ? 0 : sx > W - 1 ? W - 1 : sx;
			sy = sy < 0 ? 0 : sy > H - 1 ? H - 1 : sy;
			const x0 = Math.floor(sx);
			const y0 = Math.floor(sy);
			const x1 = Math.min(W - 1, x0 + 1);
			const y1 = Math.min(H - 1, y0 + 1);
			const fx = sx - x0;
			const fy = sy - y0;
			const o = (y * w + x) * 4;
			for (let c = 0; c < 4; c++) {
				const top = src[(y0 * W + x0) * 4 + c] * (1 - fx) + src[(y0 * W + x1) * 4 + c] * fx;
				const bot = src[(y1 * W + x0) * 4 + c] * (1 - fx) + src[(y1 * W + x1) * 4 + c] * fx;
				out[o + c] = top * (1 - fy) + bot * fy;
			}
		}
	}
	const crop = { width: w, height: h, data: out };
	return h / w >= VERTICAL_RATIO ? rotate90ccw(crop) : crop;
}

/** Turns an image 90° counter-clockwise (numpy's rot90). */
/** 32-bit pixel view (copying when the bytes are not 4-aligned). */
const pixels = (img: RGBAImage) => {
	const d = img.data.byteOffset % 4 ? new Uint8ClampedArray(img.data) : img.data;
	return new Uint32Array(d.buffer, d.byteOffset, img.width * img.height);
};

export function rotate90ccw(img: RGBAImage): RGBAImage {
	const { width: w, height: h, data } = img;
	const out = new Uint8ClampedArray(data.length);
	const px = pixels(img);
	const po = new Uint32Array(out.buffer);
	// Output is h wide, w high; output (x', y') = input (w − 1 − y', x').
	for (let y = 0; y < w; y++) for (let x = 0; x < h; x++) po[y * h + x] = px[x * w + (w - 1 - y)];
	return { width: h, height: w, data: out };
}

/** Turns an image 180°. */
export function rotate180(img: RGBAImage): RGBAImage {
	const n = img.width * img.height;
	const px = pixels(img);
	const out = new Uint8ClampedArray(n * 4);
	const po = new Uint32Array(out.buffer);
	for (let i = 0; i < n; i++) po[i] = px[n - 1 - i];
	return { width: img.width, height: img.height, data: out };
}

/**
 * Writes one line into a batch tensor (NCHW, item `index`, `width` columns): resized to
 * `height` high and min(maxWidth, ⌈height · w/h⌉) wide, BGR, (v/255 − 0.5) / 0.5, the rest
 * of the row left at 0 (padding). Returns the width used.
 */
export function writeLine(img: RGBAImage, batch: Float32Array, index: number, height: number, width: number, maxWidth = width): number {
	const w = Math.max(1, Math.min(maxWidth, width, Math.ceil((height * img.width) / img.height)));
	const small = img.width === w && img.height === height ? img : resizeImage(img, w, height, 'linear');
	const plane = height * width;
	const base = index * 3 * plane;
	const d = small.data;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < w; x++) {
			const i = (y * w + x) * 4;
			const p = y * width + x;
			for (let c = 0; c < 3; c++) batch[base + c * plane + p] = d[i + 2 - c] / 127.5 - 1;
		}
	}
	return w;
}

/** Recogniser batch width for lines of these width/height ratios: the widest, at least REC_MIN_WIDTH, at most REC_MAX_WIDTH. */
export function recBatchWidth(ratios: readonly number[]): number {
	const r = Math.max(REC_MIN_WIDTH / REC_HEIGHT, ...ratios);
	return Math.min(REC_MAX_WIDTH, Math.ceil(REC_HEIGHT * r));
}

/** The PP-OCR dictionary file (one character per line) as recogniser classes: blank, the lines, a space. */
export function parseDictionary(text: string): string[] {
	const lines = text.replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, ''));
	if (lines.length && lines[lines.length - 1] === '') lines.pop();
	return ['', ...lines, ' '];
}

export interface Decoded {
	text: string;
	/** Mean of the kept steps' max probabilities (0 for an empty line). */
	confidence: number;
}

/**
 * CTC greedy decoding of `probs` ([n, steps, classes], softmax already applied): argmax per
 * step, repeats merged, class 0 (blank) dropped; `classes` maps class index → character
 * (parseDictionary's list). One result per batch item.
 */
export function ctcDecode(probs: ArrayLike<number>, n: number, steps: number, classCount: number, classes: readonly string[]): Decoded[] {
	const out: Decoded[] = [];
	for (let b = 0; b < n; b++) {
		let text = '';
		let sum = 0;
		let kept = 0;
		let prev = -1;
		for (let t = 0; t < steps; t++) {
			const o = (b * steps + t) * classCount;
			let best = 0;
			let bp = probs[o];
			for (let c = 1; c < classCount; c++) {
				const p = probs[o + c];
				if (p > bp) {
					bp = p;
					best = c;
				}
			}
			if (best !== 0 && best !== prev) {
				text += classes[best] ?? '';
				sum += bp;
				kept++;
			}
			prev = best;
		}
		out.push({ text, confidence: kept ? sum / kept : 0 });
	}
	return out;
}
