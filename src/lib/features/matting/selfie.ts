/**
 * MediaPipe person segmentation (the fast matting path), converted from tfjs to ONNX by
 * scripts/tfjs-to-onnx.mjs. The converted graphs keep tfjs' NHWC layout.
 *
 * - 'selfie-seg' (MediaPipe selfie, general): input `input_1:0` [1,256,256,3] RGB v/255,
 *   output `activation_10:0` [1,256,256,1], person probability (sigmoid applied).
 * - 'meet-seg' (MediaPipe Meet / landscape): input `input_1:0` [1,144,256,3] RGB v/255,
 *   output `segment:0` [1,144,256,2] logits (background, person); softmax → probability.
 *
 * Fit: 'stretch' (default) resizes the whole image to the model's input, ignoring aspect
 * ratio; 'letterbox' keeps the aspect ratio and pads with black, then crops the output back
 * to the image's region. Measured on portrait crops and group photos (bench/README.md,
 * "Matting modes"): stretching scores as well or better against the ISNet matte — it gives
 * the subject every input pixel (a letterboxed 1:2 portrait uses only half of a 256² input,
 * and under a quarter of meet's 256×144), and both models were trained on stretched frames.
 * Either way the result is a probability map on a grid that covers the whole image (stretched
 * over it), ready for refine.ts's refineAlpha.
 */
import { DarkroomError } from '../../api/errors';
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { getRuntime, getSession } from '../../models/session';

export interface SegModelSpec {
	id: string;
	/** Input width × height (NHWC [1, height, width, 3]). */
	width: number;
	height: number;
	input: string;
	output: string;
	/** 'sigmoid': 1 channel, already a probability; 'softmax2': 2 logits (bg, person). */
	kind: 'sigmoid' | 'softmax2';
}

export const SEG_MODELS = {
	'selfie-seg': { id: 'selfie-seg', width: 256, height: 256, input: 'input_1:0', output: 'activation_10:0', kind: 'sigmoid' },
	'meet-seg': { id: 'meet-seg', width: 256, height: 144, input: 'input_1:0', output: 'segment:0', kind: 'softmax2' }
} as const satisfies Record<string, SegModelSpec>;

export type SegModelId = keyof typeof SEG_MODELS;
export const SEG_MODEL_IDS = Object.keys(SEG_MODELS) as SegModelId[];
export type SegFit = 'stretch' | 'letterbox' | 'auto';

export interface SegmentationOptions {
	fit?: SegFit;
}

/**
 * Largest aspect-ratio distortion allowed per fit (1 = letterbox, ∞ = stretch), for an image
 * taller than the model input (widened when stretched) and for one wider than it (narrowed).
 */
const MAX_DISTORTION: Record<SegFit, { tall: number; wide: number }> = {
	stretch: { tall: Infinity, wide: Infinity },
	letterbox: { tall: 1, wide: 1 },
	auto: { tall: 1.5, wide: 1 }
};

export interface Segmentation {
	/** Person probability 0..1, `width` × `height`, covering the whole image (stretched over it). */
	alpha: Float32Array;
	width: number;
	height: number;
	model: SegModelId;
	/** The model's input size (the image used `width` × `height` of it). */
	inputWidth: number;
	inputHeight: number;
}

/** Where the image lands in the model input: the whole input (stretch) or a centred box (letterbox). */
export function segRegion(imgW: number, imgH: number, spec: SegModelSpec, fit: SegFit): { x: number; y: number; w: number; h: number } {
	const D = MAX_DISTORTION[fit];
	if (!D) throw new DarkroomError('invalid_parameter', `Unknown fit "${fit}": one of ${Object.keys(MAX_DISTORTION).join(', ')}.`, 'fit');
	// distortion = (region aspect) / (image aspect); fill the input along the limiting axis.
	const ia = imgW / imgH;
	const fa = spec.width / spec.height;
	let w = spec.width, h = spec.height;
	if (fa / ia > D.tall) w = Math.round(spec.height * ia * D.tall); // image taller than the input
	else if (ia / fa > D.wide) h = Math.round((spec.width * D.wide) / ia); // image wider
	w = Math.max(1, Math.min(spec.width, w));
	h = Math.max(1, Math.min(spec.height, h));
	return { x: Math.floor((spec.width - w) / 2), y: Math.floor((spec.height - h) / 2), w, h };
}

/** NHWC float32 input (RGB v/255), black padding outside `region`. */
export function segInput(img: RGBAImage, spec: SegModelSpec, region: { x: number; y: number; w: number; h: number }): Float32Array {
	const out = new Float32Array(spec.width * spec.height * 3);
	const small = img.width === region.w && img.height === region.h ? img : resizeImage(img, region.w, region.h, 'linear');
	const d = small.data;
	for (let y = 0; y < region.h; y++) {
		for (let x = 0; x < region.w; x++) {
			const i = (y * region.w + x) * 4;
			const o = ((region.y + y) * spec.width + region.x + x) * 3;
			out[o] = d[i] / 255;
			out[o + 1] = d[i + 1] / 255;
			out[o + 2] = d[i + 2] / 255;
		}
	}
	return out;
}

/** Person probability of `img` from a MediaPipe segmentation model (see the module comment). */
export async function runSegmentation(img: RGBAImage, model: SegModelId = 'selfie-seg', { fit = 'auto' }: SegmentationOptions = {}): Promise<Segmentation> {
	const spec: SegModelSpec = SEG_MODELS[model];
	if (!spec) {
		throw new DarkroomError('invalid_parameter', `Unknown segmentation model "${model}": one of ${SEG_MODEL_IDS.join(', ')}.`, 'model');
	}
	const [{ ort }, session] = await Promise.all([getRuntime(), getSession(spec.id)]);
	const region = segRegion(img.width, img.height, spec, fit);
	const input = new ort.Tensor('float32', segInput(img, spec, region), [1, spec.height, spec.width, 3]);
	const inName = session.inputNames.includes(spec.input) ? spec.input : session.inputNames[0];
	const outName = session.outputNames.includes(spec.output) ? spec.output : session.outputNames[0];
	const r = await session.run({ [inName]: input }, [outName]);
	const t = r[outName];
	const data = t.data as Float32Array;
	const n = spec.width * spec.height;
	const channels = spec.kind === 'softmax2' ? 2 : 1;
	if (data.length !== n * channels) {
		throw new DarkroomError('internal', `${spec.id} output has ${data.length} values, expected ${spec.width}×${spec.height}×${channels}.`);
	}
	const alpha = new Float32Array(region.w * region.h);
	for (let y = 0; y < region.h; y++) {
		for (let x = 0; x < region.w; x++) {
			const k = (region.y + y) * spec.width + region.x + x;
			let p: number;
			if (channels === 2) {
				// softmax over (bg, person) = sigmoid(person − bg)
				p = 1 / (1 + Math.exp(data[2 * k] - data[2 * k + 1]));
			} else p = data[k];
			alpha[y * region.w + x] = p < 0 ? 0 : p > 1 ? 1 : p;
		}
	}
	t.dispose?.();
	input.dispose?.();
	return { alpha, width: region.w, height: region.h, model, inputWidth: spec.width, inputHeight: spec.height };
}
