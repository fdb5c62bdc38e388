/**
 * Which RDN passes an AI enlarge runs, and what that costs: pure size arithmetic, used by
 * the pipeline's dry run (before decoding) as well as by the enlarge itself.
 */
import { DarkroomError } from '../../api/errors';

/** The super-resolution networks shipped (static/models/manifest.json: rdn-x2, rdn-x3, rdn-x4). */
export const RDN_SCALES = [2, 3, 4] as const;
export type RdnScale = (typeof RDN_SCALES)[number];

export const rdnModelId = (scale: RdnScale): string => `rdn-x${scale}`;

/**
 * The most source pixels the network may be run over in one enlarge, summed over passes:
 * the time limit. RDN costs ~1.5 µs per output pixel ×2 (~25 µs per input pixel) in
 * single-threaded WASM, so 4 MP of network input is about a minute and a half there
 * (a 2000×2000 photo to 4000×4000); WebGPU or 4 threads are several times faster.
 */
export const AI_MAX_INPUT_PIXELS = 4_000_000;

/**
 * Scales used for a single pass. rdn-x2 is left out: measured on face-api's sample photos
 * (downscaled by 2 with Lanczos, restored to the original size), rdn-x2 alone loses
 * 0.4–1.2 dB PSNR and some SSIM to plain Lanczos (its output is smoother), while rdn-x3
 * followed by a Lanczos downscale to ×2 gains SSIM on every photo (0.9546 → 0.9573 …)
 * for about the same work (the network's cost follows its input size, not its scale).
 */
const SINGLE_PASS_SCALES: readonly RdnScale[] = [3, 4];

/**
 * The passes for an enlargement by `factor` (> 1): one pass (×3 or ×4) up to ×4; beyond
 * that the fewest passes whose product reaches the factor, and of those the smallest
 * product (least to throw away in the final Lanczos downscale). Passes run smallest
 * first: each pass costs in proportion to its input, so ×2 then ×3 is half the work of
 * ×3 then ×2. factor ≤ 1: no pass.
 */
export function planPasses(factor: number): RdnScale[] {
	if (!(factor > 1) || !Number.isFinite(factor)) return [];
	if (factor <= 4) return [SINGLE_PASS_SCALES.find((s) => s >= factor)!];
	let best: RdnScale[] | undefined;
	let bestProduct = Infinity;
	for (let k = 1; !best; k++) {
		// Non-decreasing sequences of k scales.
		const walk = (from: number, acc: RdnScale[], product: number) => {
			if (acc.length === k) {
				if (product >= factor && product < bestProduct) {
					best = [...acc];
					bestProduct = product;
				}
				return;
			}
			for (let i = from; i < RDN_SCALES.length; i++) walk(i, [...acc, RDN_SCALES[i]], product * RDN_SCALES[i]);
		};
		walk(0, [], 1);
	}
	return best!;
}

export interface AiEnlargePlan {
	passes: RdnScale[];
	/** 'rdn-x2', or 'rdn-x2+rdn-x4' for a chain: what the response reports. */
	model: string;
	/** Size after the last pass, before the final Lanczos resample to the target. */
	srWidth: number;
	srHeight: number;
	/** Source pixels the network runs over, all passes together. */
	inputPixels: number;
}

/**
 * The plan for resampling srcW×srcH to dstW×dstH with super-resolution, or undefined when
 * that is not an enlargement (neither side grows: 'ai' then means Lanczos). With a
 * different factor per axis (fit 'fill'), the larger one picks the passes.
 */
export function planAiEnlarge(srcW: number, srcH: number, dstW: number, dstH: number): AiEnlargePlan | undefined {
	const factor = Math.max(dstW / srcW, dstH / srcH);
	if (!(factor > 1)) return undefined;
	const passes = planPasses(factor);
	let w = srcW;
	let h = srcH;
	let inputPixels = 0;
	for (const s of passes) {
		inputPixels += w * h;
		w *= s;
		h *= s;
	}
	return { passes, model: passes.map(rdnModelId).join('+'), srWidth: w, srHeight: h, inputPixels };
}

/**
 * Refuses (413, before any decoding) an AI enlarge whose network output would exceed the
 * configured pixel or side limits, or whose network work exceeds AI_MAX_INPUT_PIXELS.
 */
export function checkAiEnlarge(plan: AiEnlargePlan, srcW: number, srcH: number, limits: { maxPixels: number; maxDimension: number }): void {
	const mp = (n: number) => (n / 1e6).toFixed(1);
	const { srWidth: w, srHeight: h } = plan;
	if (w * h > limits.maxPixels || w > limits.maxDimension || h > limits.maxDimension) {
		throw new DarkroomError(
			'too_large',
			`AI enlarge (kernel 'ai') of the ${srcW}×${srcH} image runs ${plan.model} to ${w}×${h} (${mp(w * h)} megapixels) before the final resize; ` +
				`the limit is ${(limits.maxPixels / 1e6).toFixed(0)} megapixels and ${limits.maxDimension} px per side. Ask for a smaller size or use kernel 'lanczos3'`,
			'kernel'
		);
	}
	if (plan.inputPixels > AI_MAX_INPUT_PIXELS) {
		throw new DarkroomError(
			'too_large',
			`AI enlarge (kernel 'ai') of the ${srcW}×${srcH} image would run ${plan.model} over ${mp(plan.inputPixels)} megapixels; ` +
				`the limit is ${mp(AI_MAX_INPUT_PIXELS)} megapixels of network input (about a minute and a half of work). Enlarge a smaller image or use kernel 'lanczos3'`,
			'kernel'
		);
	}
}
