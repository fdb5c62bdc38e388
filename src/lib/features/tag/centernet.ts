/**
 * COCO-80 object detection with MobileNet-v3 CenterNet (manifest id 'centernet-coco').
 * The ONNX graph is cut before its TopK/Gather tail, so the post-processing the original
 * graph did lives here, in plain TypeScript:
 *   1. peak picking: a cell of class c is a candidate when its heatmap value equals the
 *      maximum of its 3×3 neighbourhood in channel c (SAME padding: outside cells ignored);
 *   2. top-K (100) candidates over all (y, x, class) by score;
 *   3. box = (4x − l, 4y − t, 4x + r, 4y + b) in 512² input pixels from the wh output;
 *   4. greedy NMS per class (IoU 0.5).
 * Preprocessing: stretch to 512², RGB 0..255 as float32, NHWC.
 */
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { getRuntime, getSession } from '../../models/session';
import { COCO_LABELS } from './coco';

export const CENTERNET_ID = 'centernet-coco';
export const CENTERNET_INPUT = 512;
const INPUT_NAME = 'tower_0/images:0';
const HEATMAP = 'tower_0/keypoints:0';
const WH = 'tower_0/wh:0';

export interface BoxXYWH {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface Detection {
	/** COCO class index (channel of the heatmap). */
	classIndex: number;
	score: number;
	box: BoxXYWH;
}

export interface DecodeOptions {
	/** Heatmap side in cells (128). */
	grid?: number;
	/** Classes (channels) of the heatmap (80). */
	classes?: number;
	/** Input pixels per cell (4). */
	stride?: number;
	/** Candidates kept after peak picking (100, as the original graph). */
	topK?: number;
	/** Candidates below this score are dropped before top-K (only an optimisation when small). */
	minScore?: number;
	/** IoU above which a lower-scoring box of the same class is suppressed. */
	iou?: number;
}

/**
 * Peaks of an NHWC heatmap [grid, grid, classes]: cells equal to the max of their 3×3
 * neighbourhood in the same channel, with score ≥ minScore; sorted by score, at most topK.
 */
export function pickPeaks(heat: Float32Array, grid: number, classes: number, minScore: number, topK: number): { y: number; x: number; c: number; score: number }[] {
	const out: { y: number; x: number; c: number; score: number }[] = [];
	for (let y = 0; y < grid; y++) {
		for (let x = 0; x < grid; x++) {
			const base = (y * grid + x) * classes;
			for (let c = 0; c < classes; c++) {
				const v = heat[base + c];
				if (!(v >= minScore)) continue;
				let peak = true;
				for (let dy = -1; dy <= 1 && peak; dy++) {
					const yy = y + dy;
					if (yy < 0 || yy >= grid) continue;
					for (let dx = -1; dx <= 1; dx++) {
						const xx = x + dx;
						if (xx < 0 || xx >= grid || (dx === 0 && dy === 0)) continue;
						if (heat[(yy * grid + xx) * classes + c] > v) {
							peak = false;
							break;
						}
					}
				}
				if (peak) out.push({ y, x, c, score: v });
			}
		}
	}
	// Stable order for equal scores (index order), so the result is deterministic.
	out.sort((a, b) => b.score - a.score);
	return out.length > topK ? out.slice(0, topK) : out;
}

export function iou(a: BoxXYWH, b: BoxXYWH): number {
	const x1 = Math.max(a.x, b.x);
	const y1 = Math.max(a.y, b.y);
	const x2 = Math.min(a.x + a.width, b.x + b.width);
	const y2 = Math.min(a.y + a.height, b.y + b.height);
	const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
	const union = a.width * a.height + b.width * b.height - inter;
	return union > 0 ? inter / union : 0;
}

/** Greedy NMS within each class; input in any order, output sorted by score. */
export function nmsPerClass(dets: Detection[], threshold: number): Detection[] {
	const sorted = [...dets].sort((a, b) => b.score - a.score);
	const kept: Detection[] = [];
	for (const d of sorted) {
		if (kept.some((k) => k.classIndex === d.classIndex && iou(k.box, d.box) > threshold)) continue;
		kept.push(d);
	}
	return kept;
}

/**
 * Detections in 512² input pixels from the raw outputs: heatmap [1, grid, grid, classes]
 * and wh [1, grid, grid, 4] (left, top, right, bottom distances from the cell point).
 */
export function decodeCenterNet(heat: Float32Array, wh: Float32Array, o: DecodeOptions = {}): Detection[] {
	const grid = o.grid ?? 128;
	const classes = o.classes ?? 80;
	const stride = o.stride ?? 4;
	const peaks = pickPeaks(heat, grid, classes, o.minScore ?? 0.05, o.topK ?? 100);
	const dets: Detection[] = [];
	for (const p of peaks) {
		const i = (p.y * grid + p.x) * 4;
		const cx = p.x * stride;
		const cy = p.y * stride;
		const x1 = cx - wh[i];
		const y1 = cy - wh[i + 1];
		const x2 = cx + wh[i + 2];
		const y2 = cy + wh[i + 3];
		if (!(x2 > x1 && y2 > y1)) continue;
		dets.push({ classIndex: p.c, score: p.score, box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 } });
	}
	return nmsPerClass(dets, o.iou ?? 0.5);
}

/** Maps a box from the stretched 512² input to source pixels, clipped to the image. */
export function toSourceBox(b: BoxXYWH, width: number, height: number, input = CENTERNET_INPUT): BoxXYWH {
	const sx = width / input;
	const sy = height / input;
	const x1 = Math.max(0, Math.min(width, b.x * sx));
	const y1 = Math.max(0, Math.min(height, b.y * sy));
	const x2 = Math.max(0, Math.min(width, (b.x + b.width) * sx));
	const y2 = Math.max(0, Math.min(height, (b.y + b.height) * sy));
	return { x: Math.round(x1), y: Math.round(y1), width: Math.round(x2 - x1), height: Math.round(y2 - y1) };
}

export function cocoLabel(classIndex: number): { en: string; zh: string } {
	const l = COCO_LABELS[classIndex];
	return l ? { en: l[0], zh: l[1] } : { en: `class ${classIndex}`, zh: `类别 ${classIndex}` };
}

/** Stretch to 512², RGB 0..255 float32 NHWC. */
export function centerNetInput(img: RGBAImage): Float32Array {
	const s = CENTERNET_INPUT;
	const small = img.width === s && img.height === s ? img : resizeImage(img, s, s, 'linear');
	const out = new Float32Array(s * s * 3);
	const d = small.data;
	for (let i = 0, o = 0; i < d.length; i += 4) {
		out[o++] = d[i];
		out[o++] = d[i + 1];
		out[o++] = d[i + 2];
	}
	return out;
}

/** Objects in source pixels, sorted by score. */
export async function detectObjects(img: RGBAImage, minScore: number): Promise<Detection[]> {
	const [{ ort }, session] = await Promise.all([getRuntime(), getSession(CENTERNET_ID)]);
	const input = new ort.Tensor('float32', centerNetInput(img), [1, CENTERNET_INPUT, CENTERNET_INPUT, 3]);
	const name = session.inputNames.includes(INPUT_NAME) ? INPUT_NAME : session.inputNames[0];
	const r = await session.run({ [name]: input });
	const heat = r[HEATMAP].data as Float32Array;
	const wh = r[WH].data as Float32Array;
	return decodeCenterNet(heat, wh, { minScore }).map((d) => ({ ...d, box: toSourceBox(d.box, img.width, img.height) }));
}
