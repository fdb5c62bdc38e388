/**
 * BlazeFace raw outputs → candidate detections (pure, no ORT).
 *
 * Per anchor the regressor has 16 values: box centre x, y, width, height, then 6
 * keypoints (x, y), all in model-input pixels; centres and keypoints are relative to the
 * anchor centre. Scores are logits. Output coordinates are normalised (0..1) over the
 * model input.
 */
import { defaultAnchors, type Anchor } from './anchors';
import { KEYPOINT_NAMES, type Face } from './types';

export const REGRESSOR_STRIDE = 16;

export function sigmoid(x: number): number {
	// MediaPipe clips the logits to ±100 before the sigmoid.
	const c = Math.max(-100, Math.min(100, x));
	return 1 / (1 + Math.exp(-c));
}

export interface RawOutputs {
	/** Score logits, one per anchor (the concatenation of both grids' score outputs). */
	scores: ArrayLike<number>;
	/** 16 values per anchor, same order as `scores`. */
	regressors: ArrayLike<number>;
}

/**
 * Decodes every anchor whose sigmoid score is ≥ `minScore`. `inputSize` is the model
 * input side (128 or 256): it converts the pixel regressors to normalised units.
 */
export function decodeBlazeFace(raw: RawOutputs, inputSize: number, minScore: number, anchors: readonly Anchor[] = defaultAnchors()): Face[] {
	const n = anchors.length;
	if (raw.scores.length !== n || raw.regressors.length !== n * REGRESSOR_STRIDE) {
		throw new Error(`BlazeFace outputs do not match ${n} anchors (${raw.scores.length} scores, ${raw.regressors.length} regressor values)`);
	}
	const out: Face[] = [];
	const s = 1 / inputSize;
	for (let i = 0; i < n; i++) {
		const score = sigmoid(raw.scores[i]);
		if (score < minScore) continue;
		const a = anchors[i];
		const r = i * REGRESSOR_STRIDE;
		const cx = raw.regressors[r] * s + a.x;
		const cy = raw.regressors[r + 1] * s + a.y;
		const w = raw.regressors[r + 2] * s;
		const h = raw.regressors[r + 3] * s;
		if (!(w > 0 && h > 0)) continue;
		const keypoints = KEYPOINT_NAMES.map((name, k) => ({
			name,
			x: raw.regressors[r + 4 + 2 * k] * s + a.x,
			y: raw.regressors[r + 5 + 2 * k] * s + a.y
		}));
		out.push({ box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, score, keypoints });
	}
	return out;
}

/** Concatenates the two grids' outputs (`Identity:0` + `Identity_1:0`, `Identity_2:0` + `Identity_3:0`). */
export function concatOutputs(scores16: ArrayLike<number>, scores8: ArrayLike<number>, reg16: ArrayLike<number>, reg8: ArrayLike<number>): RawOutputs {
	const scores = new Float32Array(scores16.length + scores8.length);
	scores.set(scores16 as ArrayLike<number>, 0);
	scores.set(scores8 as ArrayLike<number>, scores16.length);
	const regressors = new Float32Array(reg16.length + reg8.length);
	regressors.set(reg16 as ArrayLike<number>, 0);
	regressors.set(reg8 as ArrayLike<number>, reg16.length);
	return { scores, regressors };
}
