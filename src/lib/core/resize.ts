import { embedImage } from './compose';
import { cropImage } from './crop';
import { planResize, type NormalizedResize } from './geometry';
import type { RGBAImage } from './image';
import { resizeImage } from './resample';

/**
 * The resize op end to end: plan (sharp's fit rules), resample, then cover's crop or
 * contain's letterbox. `params` is validateResizeParams' output.
 * When the plan changes nothing, `img` itself is returned (no copy).
 */
export function applyResize(img: RGBAImage, params: NormalizedResize): RGBAImage {
	const plan = planResize(img.width, img.height, params);
	let out = plan.scaleW === img.width && plan.scaleH === img.height ? img : resizeImage(img, plan.scaleW, plan.scaleH, params.kernel);
	if (plan.crop) out = cropImage(out, plan.crop);
	if (plan.canvasW !== out.width || plan.canvasH !== out.height) {
		out = embedImage(out, plan.canvasW, plan.canvasH, plan.offsetX, plan.offsetY, params.background);
	}
	return out;
}
