/**
 * Inpainting with a network, the same contract as `inpaint()` (mask ≠ 0 = hole; pixels outside
 * the mask come back byte-identical): per hole crop — zero the hole, scale, pad, pack, run,
 * unpack, unpad, scale back — then paste back only the hole. The network call itself is
 * injected (`NetRunner`), so this runs the same under ORT in a worker and in unit tests.
 */
import { invalidParam } from '../../api/errors';
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { pasteHole } from './paste';
import { planCrops } from './plan';
import { checkRunOutput } from './signature';
import { cropWithHole, packLama, packMigan, reflectPad, scaleCrop, unpackChw, unpad } from './tensors';
import type { InpainterKind } from './types';

export interface NetFeeds {
	image: Uint8Array | Float32Array;
	mask: Uint8Array | Float32Array;
	width: number;
	height: number;
}
export interface NetOutput {
	data: ArrayLike<number>;
	type: string;
	dims: readonly number[];
}
export type NetRunner = (feeds: NetFeeds) => Promise<NetOutput>;

export interface NetworkFill {
	kind: InpainterKind;
	/** LaMa float output: 1 for 0..1, 255 for 0..255. */
	outputScale: 1 | 255;
	/** The output's name, for messages. */
	output?: string;
}

export async function inpaintWithNetwork(img: RGBAImage, mask: Uint8Array, net: NetworkFill, run: NetRunner): Promise<{ image: RGBAImage; crops: number }> {
	const n = img.width * img.height;
	if (!(mask instanceof Uint8Array) || mask.length !== n) throw invalidParam('mask', `a Uint8Array of ${n} entries (one per pixel)`, mask?.length);
	let holes = 0;
	for (let i = 0; i < n; i++) if (mask[i]) holes++;
	if (holes === n) throw invalidParam('mask', 'at least one pixel left unmasked to fill from', 'a mask covering the whole image');
	const out: RGBAImage = { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) };
	if (holes === 0) return { image: out, crops: 0 };
	const plans = planCrops(mask, img.width, img.height, net.kind);
	for (const p of plans) {
		const crop = cropWithHole(img, mask, p.box);
		const padded = reflectPad(scaleCrop(crop, p.runW, p.runH), p.padW, p.padH);
		const feeds = net.kind === 'migan' ? packMigan(padded) : packLama(padded);
		const r = await run({ ...feeds, width: p.padW, height: p.padH });
		checkRunOutput(net.kind, net.output ?? 'output', r.type, r.dims, p.padW, p.padH);
		const scale = net.kind === 'migan' || r.type === 'uint8' ? 255 : net.outputScale;
		const filled = unpad(unpackChw(r.data, p.padW, p.padH, scale), p.runW, p.runH);
		const { width: cw, height: ch } = crop.img;
		const back = filled.width === cw && filled.height === ch ? filled : resizeImage(filled, cw, ch, 'lanczos3');
		pasteHole(out, p.box, back, crop.hole);
	}
	return { image: out, crops: plans.length };
}
