/**
 * Subject cut-out: ISNet matte + guided-filter refinement + edge decontamination.
 *
 * Modes:
 * - 'quality': ISNet at 1024², RGB-guided fast guided filter, decontaminated edges.
 * - 'fast': meant to be ISNet at 512² + refinement, but the shipped ISNet graph only runs at
 *   1024² (see isnet.ts), so 'fast' runs the same network and saves only on refinement
 *   (luma guide, no decontamination). A converted MediaPipe selfie model (256², ~50 ms)
 *   would be the real fast path; it is not converted/available yet.
 */
import type { RGBAImage } from '../../core/image';
import { ISNET_DEFAULT_SIZE, runIsnet } from './isnet';
import { applyAlpha, refineAlpha, type RefineOptions } from './refine';

export type MatteMode = 'quality' | 'fast';

export interface MatteOptions {
	mode?: MatteMode;
	/** ISNet input size; only 1024 is supported by the current model. */
	inputSize?: number;
	refine?: RefineOptions;
	decontaminate?: boolean;
}

export interface MatteResult {
	image: RGBAImage;
	/** e.g. 'isnet-small@1024'. */
	model: string;
	/** Total wall time (network + refinement), ms. */
	ms: number;
	/** Network time alone, ms. */
	modelMs: number;
}

export const MODE_DEFAULTS: Record<MatteMode, { inputSize: number; refine: RefineOptions; decontaminate: boolean }> = {
	quality: { inputSize: ISNET_DEFAULT_SIZE, refine: { guide: 'rgb', eps: 1e-3 }, decontaminate: true },
	fast: { inputSize: ISNET_DEFAULT_SIZE, refine: { guide: 'luma', eps: 1e-3, workMax: 512 }, decontaminate: false }
};

export async function matteSubject(img: RGBAImage, opts: MatteOptions = {}): Promise<MatteResult> {
	const d = MODE_DEFAULTS[opts.mode ?? 'quality'];
	const inputSize = opts.inputSize ?? d.inputSize;
	const t0 = performance.now();
	const low = await runIsnet(img, { inputSize });
	const modelMs = performance.now() - t0;
	const alpha = refineAlpha(img, low, inputSize, inputSize, { ...d.refine, ...opts.refine });
	const image = applyAlpha(img, alpha, { decontaminate: opts.decontaminate ?? d.decontaminate });
	return { image, model: `isnet-small@${inputSize}`, ms: performance.now() - t0, modelMs };
}
