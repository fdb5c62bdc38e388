/** The resize op with kernel 'ai', worker side: AI enlarge, then cover's crop / contain's letterbox. */
import { planResize, type NormalizedResize } from '../../core/geometry';
import type { RGBAImage } from '../../core/image';
import { applyResize, placeResized } from '../../core/resize';
import { aiEnlarge, type AiEnlargeOptions } from './enlarge';
import { planAiEnlarge } from './passes';

/**
 * Super-resolution when the resize enlarges (either side grows); otherwise exactly the
 * Lanczos 3 resize. Reports `model` in `info` when the network ran.
 */
export async function applyAiResize(img: RGBAImage, params: NormalizedResize, info: Record<string, unknown>, o: AiEnlargeOptions = {}): Promise<RGBAImage> {
	const plan = planResize(img.width, img.height, params);
	if (!planAiEnlarge(img.width, img.height, plan.scaleW, plan.scaleH)) return applyResize(img, { ...params, kernel: 'lanczos3' });
	const r = await aiEnlarge(img, plan.scaleW, plan.scaleH, o);
	if (r.model) info.model = r.model;
	return placeResized(r.image, plan, params.background);
}
