/**
 * "Is there text in this picture?" from PP-OCRv4's text detector (manifest id 'ppocr-det').
 * The detector runs at a modest size (longer side 640 at most, both sides multiples of 32, aspect
 * kept by stretching each side to its nearest multiple of 32) and gives a text probability
 * per pixel. Text is called present when the share of pixels with probability ≥
 * TEXT_PIXEL_PROB reaches TEXT_MIN_AREA; the confidence is the mean probability of those
 * pixels. No boxes are traced: the OCR call (a later release) does that.
 */
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { getRuntime, getSession } from '../../models/session';

export const PPOCR_DET_ID = 'ppocr-det';
/** Longer side of the detector input. */
export const TEXT_INPUT_SIDE = 640;
/** A pixel counts as text at this probability (DB's usual binarisation threshold is 0.3; stricter here to ignore texture). */
export const TEXT_PIXEL_PROB = 0.6;
/** Share of the image that must be confident text pixels for "text present". */
export const TEXT_MIN_AREA = 0.002;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

export interface TextPresence {
	present: boolean;
	/** Mean probability of the confident text pixels (0 when there are none). */
	confidence: number;
	/** Share of the image covered by confident text pixels. */
	area: number;
}

/**
 * Input size for the detector: longer side `side` (or the image's own, when smaller: an
 * upscaled thumbnail makes texture look like text), both multiples of 32, at least 32.
 */
export function detectorSize(width: number, height: number, side = TEXT_INPUT_SIDE): { width: number; height: number } {
	const k = Math.min(side, Math.max(width, height)) / Math.max(width, height);
	const r = (v: number) => Math.max(32, Math.round((v * k) / 32) * 32);
	return { width: r(width), height: r(height) };
}

/** Measures a probability map (values 0..1) as text presence. */
export function measureTextMap(prob: ArrayLike<number>, pixelProb = TEXT_PIXEL_PROB, minArea = TEXT_MIN_AREA): TextPresence {
	let n = 0;
	let sum = 0;
	for (let i = 0; i < prob.length; i++) {
		const p = prob[i];
		if (p >= pixelProb) {
			n++;
			sum += p;
		}
	}
	const area = prob.length ? n / prob.length : 0;
	return { present: area >= minArea, confidence: n ? sum / n : 0, area };
}

export function textInput(img: RGBAImage): { data: Float32Array; width: number; height: number } {
	const { width, height } = detectorSize(img.width, img.height);
	const small = resizeImage(img, width, height, 'linear');
	const plane = width * height;
	const data = new Float32Array(plane * 3);
	const d = small.data;
	for (let p = 0, i = 0; p < plane; p++, i += 4) {
		for (let c = 0; c < 3; c++) data[c * plane + p] = (d[i + c] / 255 - MEAN[c]) / STD[c];
	}
	return { data, width, height };
}

export async function detectTextPresence(img: RGBAImage): Promise<TextPresence> {
	const [{ ort }, session] = await Promise.all([getRuntime(), getSession(PPOCR_DET_ID)]);
	const { data, width, height } = textInput(img);
	const r = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, [1, 3, height, width]) });
	return measureTextMap(r[session.outputNames[0]].data as Float32Array);
}
