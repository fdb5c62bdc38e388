import type { RGBAImage } from '../../core/image';
import { classifyNsfw, NSFW_ID } from './nsfw';
import { moderationVerdict, type ModerateParams } from './verdict';
import type { ModerateResult } from './types';

export async function runModerate(img: RGBAImage, p: ModerateParams): Promise<Omit<ModerateResult, 'backend'>> {
	const t0 = performance.now();
	const scores = await classifyNsfw(img);
	return { ...moderationVerdict(scores, p.threshold), model: NSFW_ID, width: img.width, height: img.height, ms: Math.round(performance.now() - t0) };
}
