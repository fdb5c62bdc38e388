/**
 * PP-OCRv4 text detection (DB, "Differentiable Binarization"): input preparation and the
 * post-processing that turns the probability map into text-line quadrilaterals, as
 * PaddleOCR's DetResizeForTest + NormalizeImage and DBPostProcess (score_mode 'fast',
 * no dilation) do it. Pure: no model here (ocr.ts runs it).
 */
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { minAreaRect, orderQuad, unclip, type Point, type Quad } from './geometry';

/** Longer side of the detector input (PaddleOCR det_limit_side_len, limit type 'max'). */
export const DET_LIMIT_SIDE = 960;
/** Binarisation threshold of the probability map. */
export const DB_THRESH = 0.3;
/** Minimum mean probability inside a candidate box. */
export const DB_BOX_THRESH = 0.6;
/** How far a detected region is grown back (DB shrinks text regions when training). */
export const DB_UNCLIP_RATIO = 1.5;
export const DB_MAX_CANDIDATES = 1000;
/** Boxes whose shorter side is under this (map pixels) are dropped before unclip (+2 after). */
const MIN_SIZE = 3;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/**
 * Detector input size: scaled down (never up) so that the longer side is at most `limit`,
 * then each side rounded to the nearest multiple of 32 (at least 32).
 */
export function detSize(width: number, height: number, limit = DET_LIMIT_SIDE): { width: number; height: number } {
	const k = Math.max(width, height) > limit ? limit / Math.max(width, height) : 1;
	const r = (v: number) => Math.max(32, Math.round((v * k) / 32) * 32);
	return { width: r(width), height: r(height) };
}

/**
 * NCHW float32 detector input: resized to detSize, BGR channel order (PaddleOCR feeds
 * OpenCV's BGR images), (v/255 − mean) / std with ImageNet mean/std in that order.
 */
export function detInput(img: RGBAImage, limit = DET_LIMIT_SIDE): { data: Float32Array; width: number; height: number } {
	const { width, height } = detSize(img.width, img.height, limit);
	const small = img.width === width && img.height === height ? img : resizeImage(img, width, height, 'linear');
	const plane = width * height;
	const data = new Float32Array(plane * 3);
	const d = small.data;
	for (let p = 0, i = 0; p < plane; p++, i += 4) {
		for (let c = 0; c < 3; c++) data[c * plane + p] = (d[i + 2 - c] / 255 - MEAN[c]) / STD[c];
	}
	return { data, width, height };
}

export interface DbOptions {
	thresh?: number;
	boxThresh?: number;
	unclipRatio?: number;
	maxCandidates?: number;
}

export interface DetectedBox {
	/** Corners [tl, tr, br, bl] in the source image's pixels (clipped to it, rounded). */
	box: Quad;
	/** Mean probability inside the (shrunk) detected region. */
	score: number;
}

/**
 * 8-connected components of `prob > thresh`. For each, the leftmost and rightmost pixel of
 * every row it covers (their convex hull is the component's) and its bounding box.
 */
export function components(prob: ArrayLike<number>, width: number, height: number, thresh = DB_THRESH): { points: Point[]; x0: number; y0: number; x1: number; y1: number; size: number }[] {
	const label = new Int32Array(width * height);
	const out: { points: Point[]; x0: number; y0: number; x1: number; y1: number; size: number }[] = [];
	const stack: number[] = [];
	let next = 0;
	for (let start = 0; start < width * height; start++) {
		if (label[start] || !(prob[start] > thresh)) continue;
		next++;
		label[start] = next;
		stack.push(start);
		const rowMin = new Map<number, number>();
		const rowMax = new Map<number, number>();
		let x0 = width, y0 = height, x1 = -1, y1 = -1, size = 0;
		while (stack.length) {
			const i = stack.pop()!;
			const x = i % width;
			const y = (i - x) / width;
			size++;
			if (x < x0) x0 = x;
			if (x > x1) x1 = x;
			if (y < y0) y0 = y;
			if (y > y1) y1 = y;
			const lo = rowMin.get(y);
			if (lo === undefined || x < lo) rowMin.set(y, x);
			const hi = rowMax.get(y);
			if (hi === undefined || x > hi) rowMax.set(y, x);
			for (let dy = -1; dy <= 1; dy++) {
				const yy = y + dy;
				if (yy < 0 || yy >= height) continue;
				for (let dx = -1; dx <= 1; dx++) {
					const xx = x + dx;
					if (xx < 0 || xx >= width || (dx === 0 && dy === 0)) continue;
					const j = yy * width + xx;
					if (!label[j] && prob[j] > thresh) {
						label[j] = next;
						stack.push(j);
					}
				}
			}
		}
		const points: Point[] = [];
		for (const [y, lo] of rowMin) {
			points.push([lo, y]);
			const hi = rowMax.get(y)!;
			if (hi !== lo) points.push([hi, y]);
		}
		out.push({ points, x0, y0, x1, y1, size });
	}
	return out;
}

/** Mean of `prob` over the pixels (centres at integer coordinates) inside the quad (box_score_fast). */
export function boxScore(prob: ArrayLike<number>, width: number, height: number, quad: readonly Point[]): number {
	const xs = quad.map((p) => p[0]);
	const ys = quad.map((p) => p[1]);
	const xmin = Math.max(0, Math.min(width - 1, Math.floor(Math.min(...xs))));
	const xmax = Math.max(0, Math.min(width - 1, Math.ceil(Math.max(...xs))));
	const ymin = Math.max(0, Math.min(height - 1, Math.floor(Math.min(...ys))));
	const ymax = Math.max(0, Math.min(height - 1, Math.ceil(Math.max(...ys))));
	// Scanline fill: for each row, the x range inside the convex quad.
	let sum = 0;
	let n = 0;
	for (let y = ymin; y <= ymax; y++) {
		let lo = Infinity;
		let hi = -Infinity;
		for (let k = 0; k < 4; k++) {
			const a = quad[k];
			const b = quad[(k + 1) % 4];
			if ((a[1] <= y && b[1] >= y) || (b[1] <= y && a[1] >= y)) {
				if (a[1] === b[1]) {
					lo = Math.min(lo, a[0], b[0]);
					hi = Math.max(hi, a[0], b[0]);
				} else {
					const x = a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
					lo = Math.min(lo, x);
					hi = Math.max(hi, x);
				}
			}
		}
		if (lo > hi) continue;
		const from = Math.max(xmin, Math.ceil(lo - 1e-6));
		const to = Math.min(xmax, Math.floor(hi + 1e-6));
		for (let x = from; x <= to; x++) {
			sum += prob[y * width + x];
			n++;
		}
	}
	return n ? sum / n : 0;
}

/**
 * DB post-processing: probability map (mapWidth × mapHeight, values 0..1) → text boxes in
 * the source image (srcWidth × srcHeight). Connected regions of `prob > thresh` get their
 * minimum-area rectangle; those with a mean probability under `boxThresh` or a shorter side
 * under 3 map pixels are dropped; the rest are unclipped (grown by area · ratio / perimeter),
 * scaled to the source, clipped to it and rounded. Unsorted (see sortQuads).
 */
export function dbPostprocess(
	prob: ArrayLike<number>,
	mapWidth: number,
	mapHeight: number,
	srcWidth: number,
	srcHeight: number,
	{ thresh = DB_THRESH, boxThresh = DB_BOX_THRESH, unclipRatio = DB_UNCLIP_RATIO, maxCandidates = DB_MAX_CANDIDATES }: DbOptions = {}
): DetectedBox[] {
	const comps = components(prob, mapWidth, mapHeight, thresh)
		.sort((a, b) => b.size - a.size)
		.slice(0, maxCandidates);
	const sx = srcWidth / mapWidth;
	const sy = srcHeight / mapHeight;
	const out: DetectedBox[] = [];
	for (const c of comps) {
		const rect = minAreaRect(c.points);
		if (Math.min(rect.width, rect.height) < MIN_SIZE) continue;
		const quad = orderQuad(rect.corners);
		const score = boxScore(prob, mapWidth, mapHeight, quad);
		if (score < boxThresh) continue;
		const grown = unclip(quad, unclipRatio);
		if (Math.min(grown.width, grown.height) < MIN_SIZE + 2) continue;
		const box = orderQuad(grown.corners).map(([x, y]) => [
			Math.round(Math.min(srcWidth, Math.max(0, x * sx))),
			Math.round(Math.min(srcHeight, Math.max(0, y * sy)))
		]) as Quad;
		const w = Math.hypot(box[1][0] - box[0][0], box[1][1] - box[0][1]);
		const h = Math.hypot(box[3][0] - box[0][0], box[3][1] - box[0][1]);
		if (w <= 3 || h <= 3) continue;
		out.push({ box, score });
	}
	return out;
}
