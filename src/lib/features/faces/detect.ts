/**
 * Face detection with MediaPipe BlazeFace (ONNX, via models/session.ts).
 *
 * Passes, all merged by weighted NMS in source pixels:
 * - the full-range "back" 256² model on the whole image (letterboxed);
 * - the same model on overlapping square tiles (side ≈ min(w, h) / 2, 25 % overlap, at
 *   most 12 tiles) so that small faces in big group photos are found;
 * - the short-range "front" 128² model on the whole image, for close-ups.
 * Preprocessing: letterbox (aspect kept, black padding) to the model side, RGB to −1..1,
 * NHWC [1, S, S, 3].
 */
import { cropImage } from '../../core/crop';
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { getRuntime, getSession } from '../../models/session';
import { concatOutputs, decodeBlazeFace } from './decode';
import { suppressContained, weightedNms } from './nms';
import type { Box, Face } from './types';

export type { Box, Face, Keypoint, KeypointName } from './types';
export { KEYPOINT_NAMES } from './types';

export interface DetectOptions {
	/** Minimum sigmoid score of a detection (default 0.7). */
	minScore?: number;
	/** 'auto' (default): back-256 whole + tiles and front-128 whole; 'front' / 'back': that model on the whole image only. */
	model?: 'auto' | 'front' | 'back';
}

export const BLAZEFACE_MODELS = {
	front: { id: 'blazeface-front-128', size: 128 },
	back: { id: 'blazeface-back-256', size: 256 }
} as const;

const INPUT = 'input:0';
const OUTPUTS = ['Identity:0', 'Identity_1:0', 'Identity_2:0', 'Identity_3:0'] as const;

/**
 * Default minimum score. Higher than MediaPipe's 0.5 because each image goes through up
 * to 14 passes (more chances for a spurious hit): on the six face-api sample photos every
 * real face scores ≥ 0.80 and every spurious candidate ≤ 0.66.
 */
export const DEFAULT_MIN_SCORE = 0.7;
/** IoU at which candidates are merged. */
export const NMS_IOU = 0.3;
/**
 * A box narrower than this fraction of the model input is implausibly small for its tile /
 * image. The front model is short-range (close-ups): its tiny boxes on big photos are noise.
 */
export const MIN_BOX_FRACTION = { front: 0.25, back: 0.05 } as const;
/** A face whose box lies this much (intersection / own area) inside a higher-scoring one is dropped. */
export const CONTAINED = 0.5;
const MAX_TILES = 12;
const TILE_OVERLAP = 0.25;

/** A square region of the source image fed to a model through a letterbox. */
export interface Region {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface Letterbox {
	/** Model input pixels per source pixel. */
	scale: number;
	/** Padding offset of the resized region inside the model input, in input pixels. */
	padX: number;
	padY: number;
	/** Size of the resized region inside the input. */
	innerW: number;
	innerH: number;
}

export function letterboxFor(w: number, h: number, size: number): Letterbox {
	const scale = size / Math.max(w, h);
	const innerW = Math.max(1, Math.min(size, Math.round(w * scale)));
	const innerH = Math.max(1, Math.min(size, Math.round(h * scale)));
	return { scale, padX: Math.floor((size - innerW) / 2), padY: Math.floor((size - innerH) / 2), innerW, innerH };
}

/** Letterboxes `region` of `img` into an NHWC float32 S×S×3 buffer in −1..1. */
export function toInputTensor(img: RGBAImage, region: Region, size: number): { data: Float32Array; lb: Letterbox } {
	const lb = letterboxFor(region.width, region.height, size);
	const crop = region.x === 0 && region.y === 0 && region.width === img.width && region.height === img.height ? img : cropImage(img, region);
	const small = resizeImage(crop, lb.innerW, lb.innerH, 'linear');
	const data = new Float32Array(size * size * 3).fill(-1);
	const src = small.data;
	for (let y = 0; y < lb.innerH; y++) {
		let o = ((y + lb.padY) * size + lb.padX) * 3;
		let i = y * lb.innerW * 4;
		for (let x = 0; x < lb.innerW; x++, i += 4) {
			data[o++] = src[i] / 127.5 - 1;
			data[o++] = src[i + 1] / 127.5 - 1;
			data[o++] = src[i + 2] / 127.5 - 1;
		}
	}
	return { data, lb };
}

/** Maps a face in normalised model-input coordinates to source pixels. */
export function mapToSource(f: Face, region: Region, lb: Letterbox, size: number): Face {
	const k = size / lb.scale;
	const mx = (v: number) => region.x + (v * size - lb.padX) / lb.scale;
	const my = (v: number) => region.y + (v * size - lb.padY) / lb.scale;
	return {
		score: f.score,
		box: { x: mx(f.box.x), y: my(f.box.y), width: f.box.width * k, height: f.box.height * k },
		keypoints: f.keypoints.map((p) => ({ name: p.name, x: mx(p.x), y: my(p.y) }))
	};
}

/**
 * Square tiles of side ≈ min(w, h) / 2 with ≥ 25 % overlap covering the image; at most
 * `maxTiles` (the side grows until they fit). Empty when the image is too small to tile.
 */
export function planTiles(w: number, h: number, maxTiles = MAX_TILES, overlap = TILE_OVERLAP): Region[] {
	let side = Math.round(Math.min(w, h) / 2);
	if (side < 64) return [];
	const count = (len: number, s: number) => (len <= s ? 1 : Math.ceil((len - s) / (s * (1 - overlap))) + 1);
	while (count(w, side) * count(h, side) > maxTiles) side = Math.round(side * 1.1);
	side = Math.min(side, w, h);
	const starts = (len: number) => {
		const n = count(len, side);
		if (n === 1) return [Math.floor((len - side) / 2)];
		return Array.from({ length: n }, (_, i) => Math.round(((len - side) * i) / (n - 1)));
	};
	const out: Region[] = [];
	for (const y of starts(h)) for (const x of starts(w)) out.push({ x, y, width: side, height: side });
	return out;
}

/** True when the box reaches within `margin` of an edge of `tile` that is not an image edge (the face is probably cut). */
function cutByTile(b: Box, tile: Region, imgW: number, imgH: number, margin: number): boolean {
	if (tile.x > 0 && b.x < tile.x + margin) return true;
	if (tile.y > 0 && b.y < tile.y + margin) return true;
	if (tile.x + tile.width < imgW && b.x + b.width > tile.x + tile.width - margin) return true;
	if (tile.y + tile.height < imgH && b.y + b.height > tile.y + tile.height - margin) return true;
	return false;
}

async function runPass(img: RGBAImage, which: 'front' | 'back', region: Region, minScore: number): Promise<Face[]> {
	const { id, size } = BLAZEFACE_MODELS[which];
	const [{ ort }, session] = await Promise.all([getRuntime(), getSession(id)]);
	const { data, lb } = toInputTensor(img, region, size);
	const input = new ort.Tensor('float32', data, [1, size, size, 3]);
	const name = session.inputNames.includes(INPUT) ? INPUT : session.inputNames[0];
	const r = await session.run({ [name]: input });
	const [s16, s8, r16, r8] = OUTPUTS.map((o) => r[o].data as Float32Array);
	const raw = concatOutputs(s16, s8, r16, r8);
	const faces = decodeBlazeFace(raw, size, minScore);
	const tiled = region.width !== img.width || region.height !== img.height;
	const out: Face[] = [];
	for (const f of faces) {
		if (f.box.width < MIN_BOX_FRACTION[which]) continue;
		const m = mapToSource(f, region, lb, size);
		if (tiled && cutByTile(m.box, region, img.width, img.height, region.width * 0.01)) continue;
		out.push(m);
	}
	return out;
}

/** Detects faces; boxes and keypoints in source pixels, sorted by score (highest first). */
export async function detectFaces(img: RGBAImage, opts: DetectOptions = {}): Promise<Face[]> {
	const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
	const model = opts.model ?? 'auto';
	const whole: Region = { x: 0, y: 0, width: img.width, height: img.height };
	const candidates: Face[] = [];
	if (model === 'front') candidates.push(...(await runPass(img, 'front', whole, minScore)));
	else if (model === 'back') candidates.push(...(await runPass(img, 'back', whole, minScore)));
	else {
		candidates.push(...(await runPass(img, 'back', whole, minScore)));
		for (const t of planTiles(img.width, img.height)) candidates.push(...(await runPass(img, 'back', t, minScore)));
		candidates.push(...(await runPass(img, 'front', whole, minScore)));
	}
	return suppressContained(weightedNms(candidates, NMS_IOU), CONTAINED);
}
