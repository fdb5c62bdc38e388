/**
 * Subject cut-out: a low-resolution matte from a network, refined to a soft full-resolution
 * alpha with the fast guided filter (refine.ts), then edge decontamination.
 *
 * Modes:
 * - 'quality': ISNet (isnet-small) at 1024², RGB-guided fast guided filter, decontaminated
 *   edges. A salient-object model: soft hair, but seconds per image (~5 s for a 600×1200
 *   crop, ~20 s for a 1920 px photo at 2 WASM threads) and it can drop dark clothing.
 * - 'fast': MediaPipe selfie segmentation (selfie-seg, 256², ~20–60 ms network) — a person
 *   segmenter — fitted with selfie.ts's 'auto' fit, its coarse mask refined at full resolution
 *   with an RGB-guided filter (contrast-stretched seeds, wider radius and smaller eps
 *   than quality's, since the mask is 4–8× coarser) and decontaminated. `segModel: 'meet-seg'` (256×144) is the other choice; numbers in
 *   bench/README.md ("Matting modes").
 */
import type { RGBAImage } from '../../core/image';
import { ISNET_DEFAULT_SIZE, ISNET_MODEL, runIsnet } from './isnet';
import { applyAlpha, refineAlpha, type RefineOptions } from './refine';
import { runSegmentation, type SegFit, type SegModelId } from './selfie';

export type MatteMode = 'quality' | 'fast';

export interface MatteOptions {
	mode?: MatteMode;
	/** ISNet input size ('quality'); only 1024 is supported by the current model. */
	inputSize?: number;
	/** Segmentation model of 'fast' (default 'selfie-seg'). */
	segModel?: SegModelId;
	/** How 'fast' fits the image into the segmentation input (default 'auto'; see selfie.ts). */
	fit?: SegFit;
	refine?: RefineOptions;
	decontaminate?: boolean;
}

export interface MatteResult {
	image: RGBAImage;
	/** What ran, e.g. 'isnet-small@1024' or 'selfie-seg@256+guided'. */
	model: string;
	/** Total wall time (network + refinement), ms. */
	ms: number;
	/** Network time alone (with its pre/post-processing), ms. */
	modelMs: number;
}

export interface ModeDefaults {
	refine: RefineOptions;
	decontaminate: boolean;
	/** 'quality' only. */
	inputSize?: number;
	/** 'fast' only. */
	segModel?: SegModelId;
	fit?: SegFit;
}

export const MODE_DEFAULTS: Record<MatteMode, ModeDefaults> = {
	quality: { inputSize: ISNET_DEFAULT_SIZE, refine: { guide: 'rgb', eps: 1e-3 }, decontaminate: true },
	// Tuned by eye on hair against bright windows and dark rooms (sample1/2/3/6 crops):
	// no 'confident' blend (it keeps the coarse mask's blocks where it overhangs the edge),
	// contrast 3 around 0.65 (seeds inside the subject), small eps so edges follow the image.
	fast: {
		segModel: 'selfie-seg',
		fit: 'auto',
		refine: { guide: 'rgb', radius: 16, eps: 1e-4, workMax: 1024, confident: false, gain: 3, center: 0.65 },
		decontaminate: true
	}
};

export async function matteSubject(img: RGBAImage, opts: MatteOptions = {}): Promise<MatteResult> {
	const mode = opts.mode ?? 'quality';
	const d = MODE_DEFAULTS[mode];
	const refine = { ...d.refine, ...opts.refine };
	const suffix = refine.guided === false ? '' : '+guided';
	const t0 = performance.now();
	let low: Float32Array, lowW: number, lowH: number, model: string;
	if (mode === 'fast') {
		const seg = await runSegmentation(img, opts.segModel ?? d.segModel, { fit: opts.fit ?? d.fit });
		({ alpha: low, width: lowW, height: lowH } = seg);
		model = `${seg.model}@${seg.inputWidth === seg.inputHeight ? seg.inputWidth : `${seg.inputWidth}x${seg.inputHeight}`}${suffix}`;
	} else {
		const inputSize = opts.inputSize ?? d.inputSize ?? ISNET_DEFAULT_SIZE;
		low = await runIsnet(img, { inputSize });
		lowW = lowH = inputSize;
		model = `${ISNET_MODEL}@${inputSize}`;
	}
	const modelMs = performance.now() - t0;
	const alpha = refineAlpha(img, low, lowW, lowH, refine);
	const image = applyAlpha(img, alpha, { decontaminate: opts.decontaminate ?? d.decontaminate });
	return { image, model, ms: performance.now() - t0, modelMs };
}
