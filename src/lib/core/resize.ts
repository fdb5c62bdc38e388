import { embedImage } from './compose';
import { cropImage } from './crop';
import { planResize, type NormalizedResize, type ResizePlan } from './geometry';
import type { RGBA, RGBAImage } from './image';
import { resizeImage } from './resample';

/**
 * The resize op end to end: plan (sharp's fit rules), resample, then cover's crop or
 * contain's letterbox. `params` is validateResizeParams' output. Kernel 'ai' resamples
 * with lanczos3 here: the super-resolution path is features/superres (async, a model).
 * When the plan changes nothing, `img` itself is returned (no copy).
 */
export function applyResize(img: RGBAImage, params: NormalizedResize): RGBAImage {
	const plan = planResize(img.width, img.height, params);
	const kernel = params.kernel === 'ai' ? 'lanczos3' : params.kernel;
	const out = plan.scaleW === img.width && plan.scaleH === img.height ? img : resizeImage(img, plan.scaleW, plan.scaleH, kernel);
	return placeResized(out, plan, params.background);
}

/** The steps after resampling to plan.scaleW×scaleH: cover's crop, contain's letterbox. */
export function placeResized(scaled: RGBAImage, plan: ResizePlan, background: RGBA): RGBAImage {
	let out = scaled;
	if (plan.crop) out = cropImage(out, plan.crop);
	if (plan.canvasW !== out.width || plan.canvasH !== out.height) {
		out = embedImage(out, plan.canvasW, plan.canvasH, plan.offsetX, plan.offsetY, background);
	}
	return out;
}
