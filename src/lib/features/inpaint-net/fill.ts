/**
 * The one entry the repair and watermark-removal jobs call: fill the mask with the user's
 * network when the job names one, else with the built-in PatchMatch fill. Worker side.
 */
import type { RGBAImage } from '../../core/image';
import { inpaint } from '../../core/inpaint';
import { networkLabel, type NetworkSpec } from './types';

/** The label responses give the built-in fill. */
export const PATCHMATCH_MODEL = 'patchmatch';

export async function fillHoles(img: RGBAImage, mask: Uint8Array, network?: NetworkSpec): Promise<{ image: RGBAImage; model: string; engine: 'patchmatch' | 'network' }> {
	if (!network) return { image: inpaint(img, mask), model: PATCHMATCH_MODEL, engine: 'patchmatch' };
	const [{ networkRunner }, { inpaintWithNetwork }] = await Promise.all([import('./session'), import('./run')]);
	const { image } = await inpaintWithNetwork(img, mask, network, await networkRunner(network));
	return { image, model: networkLabel(network), engine: 'network' };
}
