/**
 * AI enlarge: RDN passes (×2/×3/×4, chained past ×4), then Lanczos to the exact size asked
 * for. Alpha is not something the network knows: it is resampled with Lanczos from the
 * source, straight to the target size.
 */
import type { RGBAImage } from '../../core/image';
import { isOpaque } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { planAiEnlarge } from './passes';
import { runRdn, type RdnOptions } from './rdn';

export interface AiEnlargeResult {
	image: RGBAImage;
	/** The network(s) run ('rdn-x2', 'rdn-x2+rdn-x4'); undefined when it was not an enlargement. */
	model?: string;
}

export interface AiEnlargeOptions extends Omit<RdnOptions, 'onProgress'> {
	/** Overall progress in 0..1 (the network's tiles, by pixels). */
	onProgress?: (fraction: number) => void;
}

/** `img` resampled to width×height: super-resolution when that enlarges, else Lanczos 3. */
export async function aiEnlarge(img: RGBAImage, width: number, height: number, o: AiEnlargeOptions = {}): Promise<AiEnlargeResult> {
	const plan = planAiEnlarge(img.width, img.height, width, height);
	if (!plan) return { image: resizeImage(img, width, height, 'lanczos3') };
	let cur = img;
	let doneWork = 0;
	for (const s of plan.passes) {
		const work = cur.width * cur.height;
		cur = await runRdn(cur, s, {
			tile: o.tile,
			context: o.context,
			onProgress: (done, total) => o.onProgress?.((doneWork + (work * done) / total) / plan.inputPixels)
		});
		doneWork += work;
	}
	if (cur.width !== width || cur.height !== height) cur = resizeImage(cur, width, height, 'lanczos3');
	if (!isOpaque(img)) {
		const alpha = resizeImage(img, width, height, 'lanczos3').data;
		const d = cur.data;
		for (let i = 3; i < d.length; i += 4) d[i] = alpha[i];
	}
	return { image: cur, model: plan.model };
}
