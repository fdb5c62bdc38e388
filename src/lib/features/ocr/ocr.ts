/**
 * OCR with PaddleOCR's PP-OCR pipeline in onnxruntime-web: PP-OCRv4 text detection (DB,
 * 'ppocr-det'), the text direction classifier ('ppocr-cls', 0° / 180°) and PP-OCRv4
 * recognition ('ppocr-rec', CTC over the 'ppocr-keys' dictionary: simplified and traditional
 * Chinese, Latin letters, digits, punctuation). Chinese and English; one result line per
 * detected text line, in reading order.
 *
 *   detect (detect.ts) → sort → crop each quad along its own rectangle (lines.ts) →
 *   classify direction, flip at ≥ 0.9 → recognise in batches of similar width → CTC decode
 *   → drop lines under minConfidence.
 */
import type { RGBAImage } from '../../core/image';
import { loadModel } from '../../models/loader';
import { getRuntime, getSession, type Ort, type Session } from '../../models/session';
import { dbPostprocess, detInput, DET_LIMIT_SIDE, type DbOptions } from './detect';
import { sortQuads, type Quad } from './geometry';
import { CLS_HEIGHT, CLS_THRESH, CLS_WIDTH, cropQuad, ctcDecode, parseDictionary, recBatchWidth, REC_HEIGHT, REC_MAX_WIDTH, rotate180, writeLine } from './lines';

export const PPOCR_DET = 'ppocr-det';
export const PPOCR_CLS = 'ppocr-cls';
export const PPOCR_REC = 'ppocr-rec';
export const PPOCR_KEYS = 'ppocr-keys';
/** Lines recognised with a lower confidence are dropped (PaddleOCR drop_score). */
export const OCR_MIN_CONFIDENCE = 0.5;
/** Lines per recogniser / classifier batch (PaddleOCR rec_batch_num). */
export const OCR_BATCH = 6;

export interface OcrOptions extends DbOptions {
	/** Longer side of the detector input (default 960; larger finds smaller text, slower). */
	limitSide?: number;
	/** Run the 0°/180° direction classifier (default true). */
	classify?: boolean;
	/** Drop lines recognised with a lower confidence (default 0.5; 0 keeps all). */
	minConfidence?: number;
	/** Recogniser classes (parseDictionary's list) instead of loading 'ppocr-keys' (tests). */
	dictionary?: readonly string[];
}

export interface OcrLine {
	text: string;
	/** Mean of the recogniser's per-character probabilities, 0..1. */
	confidence: number;
	/** Corners [tl, tr, br, bl] in image pixels (the line's own rectangle, possibly rotated). */
	box: Quad;
	/** The line was read upside down (the direction classifier flipped it). */
	flipped?: boolean;
}

export interface OcrResult {
	/** The lines' text, one per line, in reading order. */
	text: string;
	lines: OcrLine[];
	/** Total time, and per stage. */
	ms: number;
	timings: { detMs: number; clsMs: number; recMs: number };
}

let dictionary: Promise<string[]> | undefined;

/** The recogniser classes from the 'ppocr-keys' manifest entry (loaded once). */
export function getDictionary(): Promise<string[]> {
	if (!dictionary) {
		dictionary = loadModel(PPOCR_KEYS).then((b) => parseDictionary(new TextDecoder().decode(b)));
		dictionary.catch(() => (dictionary = undefined));
	}
	return dictionary;
}

/** Composites transparency onto white (text on a transparent canvas is usually dark). */
function onWhite(img: RGBAImage): RGBAImage {
	const d = img.data;
	let opaque = true;
	for (let i = 3; i < d.length; i += 4) {
		if (d[i] !== 255) {
			opaque = false;
			break;
		}
	}
	if (opaque) return img;
	const out = new Uint8ClampedArray(d.length);
	for (let i = 0; i < d.length; i += 4) {
		const a = d[i + 3] / 255;
		out[i] = d[i] * a + 255 * (1 - a);
		out[i + 1] = d[i + 1] * a + 255 * (1 - a);
		out[i + 2] = d[i + 2] * a + 255 * (1 - a);
		out[i + 3] = 255;
	}
	return { width: img.width, height: img.height, data: out };
}

async function run(ort: Ort, session: Session, data: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
	const input = new ort.Tensor('float32', data, dims);
	const r = await session.run({ [session.inputNames[0]]: input });
	const t = r[session.outputNames[0]];
	const out = { data: t.data as Float32Array, dims: t.dims };
	input.dispose?.();
	return out;
}

/** Reads the text in `img`. */
export async function runOcr(img: RGBAImage, opts: OcrOptions = {}): Promise<OcrResult> {
	const t0 = performance.now();
	const { limitSide = DET_LIMIT_SIDE, classify = true, minConfidence = OCR_MIN_CONFIDENCE } = opts;
	const [{ ort }, det, rec, cls, classes] = await Promise.all([
		getRuntime(),
		getSession(PPOCR_DET),
		getSession(PPOCR_REC),
		classify ? getSession(PPOCR_CLS) : undefined,
		opts.dictionary ? [...opts.dictionary] : getDictionary()
	]);
	const image = onWhite(img);

	// Detection.
	const tDet = performance.now();
	const input = detInput(image, limitSide);
	const map = await run(ort, det, input.data, [1, 3, input.height, input.width]);
	const boxes = sortQuads(dbPostprocess(map.data, input.width, input.height, image.width, image.height, opts));
	const detMs = performance.now() - tDet;

	// Crops and direction.
	const tCls = performance.now();
	const crops = boxes.map((b) => cropQuad(image, b.box));
	const flipped = crops.map(() => false);
	if (cls && crops.length) {
		for (let s = 0; s < crops.length; s += OCR_BATCH) {
			const n = Math.min(OCR_BATCH, crops.length - s);
			const batch = new Float32Array(n * 3 * CLS_HEIGHT * CLS_WIDTH);
			for (let i = 0; i < n; i++) writeLine(crops[s + i], batch, i, CLS_HEIGHT, CLS_WIDTH);
			const out = await run(ort, cls, batch, [n, 3, CLS_HEIGHT, CLS_WIDTH]);
			for (let i = 0; i < n; i++) {
				if (out.data[i * 2 + 1] >= CLS_THRESH) {
					crops[s + i] = rotate180(crops[s + i]);
					flipped[s + i] = true;
				}
			}
		}
	}
	const clsMs = performance.now() - tCls;

	// Recognition, in batches of similar width ratio (less padding).
	const tRec = performance.now();
	const ratio = crops.map((c) => c.width / c.height);
	const order = crops.map((_, i) => i).sort((a, b) => ratio[a] - ratio[b]);
	const read: { text: string; confidence: number }[] = new Array(crops.length);
	for (let s = 0; s < order.length; s += OCR_BATCH) {
		const idx = order.slice(s, s + OCR_BATCH);
		const width = recBatchWidth(idx.map((i) => ratio[i]));
		const batch = new Float32Array(idx.length * 3 * REC_HEIGHT * width);
		idx.forEach((i, k) => writeLine(crops[i], batch, k, REC_HEIGHT, width, REC_MAX_WIDTH));
		const out = await run(ort, rec, batch, [idx.length, 3, REC_HEIGHT, width]);
		const [n, steps, classCount] = out.dims;
		ctcDecode(out.data, n, steps, classCount, classes).forEach((d, k) => (read[idx[k]] = d));
	}
	const recMs = performance.now() - tRec;

	const lines: OcrLine[] = [];
	boxes.forEach((b, i) => {
		const r = read[i];
		const text = r.text.trim();
		if (!text || r.confidence < minConfidence) return;
		const line: OcrLine = { text, confidence: r.confidence, box: b.box };
		if (flipped[i]) line.flipped = true;
		lines.push(line);
	});
	return { text: lines.map((l) => l.text).join('\n'), lines, ms: performance.now() - t0, timings: { detMs, clsMs, recMs } };
}
