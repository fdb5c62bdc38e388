/**
 * nsfwjs' MobileNet v2 classifier (manifest id 'nsfw-mobilenet-v2'): five softmax scores,
 * Drawing, Hentai, Neutral, Porn, Sexy. Preprocessing as nsfwjs: stretch to 224² (bilinear),
 * RGB / 255, NHWC.
 */
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { getRuntime, getSession } from '../../models/session';

export const NSFW_ID = 'nsfw-mobilenet-v2';
export const NSFW_INPUT = 224;
const INPUT_NAME = 'input:0';
const OUTPUT_NAME = 'Identity:0';

export interface NsfwScores {
	drawing: number;
	hentai: number;
	neutral: number;
	porn: number;
	sexy: number;
}

/** The model's output order. */
export const NSFW_ORDER = ['drawing', 'hentai', 'neutral', 'porn', 'sexy'] as const satisfies readonly (keyof NsfwScores)[];

export function nsfwInput(img: RGBAImage): Float32Array {
	const s = NSFW_INPUT;
	const small = img.width === s && img.height === s ? img : resizeImage(img, s, s, 'linear');
	const out = new Float32Array(s * s * 3);
	const d = small.data;
	for (let i = 0, o = 0; i < d.length; i += 4) {
		out[o++] = d[i] / 255;
		out[o++] = d[i + 1] / 255;
		out[o++] = d[i + 2] / 255;
	}
	return out;
}

export function toScores(probs: ArrayLike<number>): NsfwScores {
	const o = {} as NsfwScores;
	NSFW_ORDER.forEach((k, i) => (o[k] = probs[i]));
	return o;
}

export async function classifyNsfw(img: RGBAImage): Promise<NsfwScores> {
	const [{ ort }, session] = await Promise.all([getRuntime(), getSession(NSFW_ID)]);
	const input = new ort.Tensor('float32', nsfwInput(img), [1, NSFW_INPUT, NSFW_INPUT, 3]);
	const name = session.inputNames.includes(INPUT_NAME) ? INPUT_NAME : session.inputNames[0];
	const r = await session.run({ [name]: input });
	const out = r[OUTPUT_NAME] ?? r[session.outputNames[0]];
	return toScores(out.data as Float32Array);
}
