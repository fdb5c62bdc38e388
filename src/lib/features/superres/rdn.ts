/**
 * RDN super-resolution (UpscalerJS's esrgan-slim "RDN C1-D2-G4-G064-T10", ×2/×3/×4,
 * converted to ONNX): input `LR` float32 NHWC [1,H,W,3] with RGB in 0..255, any H and W;
 * output `SR` [1,H·s,W·s,3] in 0..255 (clamped here). Run tile by tile (tiles.ts), so
 * the float data held at once is one tile's input and output, whatever the image size.
 */
import { DarkroomError } from '../../api/errors';
import type { RGBAImage } from '../../core/image';
import { getRuntime, getSession } from '../../models/session';
import { rdnModelId, type RdnScale } from './passes';
import { DEFAULT_CONTEXT, DEFAULT_TILE, planTiles } from './tiles';

export interface RdnOptions {
	/** Network input size per tile, source pixels (default 192). */
	tile?: number;
	/** Context kept around each tile and cropped off its output (default 12 ≥ the receptive radius). */
	context?: number;
	/** Called after each tile: tiles done, tiles in all. */
	onProgress?: (done: number, total: number) => void;
}

/**
 * `img` enlarged `scale` times by the network. RGB only: the output is opaque (callers
 * that need alpha resample it separately, see enlarge.ts).
 */
export async function runRdn(img: RGBAImage, scale: RdnScale, o: RdnOptions = {}): Promise<RGBAImage> {
	const id = rdnModelId(scale);
	const [{ ort }, session] = await Promise.all([getRuntime(), getSession(id)]);
	const inName = session.inputNames.includes('LR') ? 'LR' : session.inputNames[0];
	const outName = session.outputNames.includes('SR') ? 'SR' : session.outputNames[0];
	const { width: W, height: H, data: src } = img;
	const OW = W * scale;
	const OH = H * scale;
	const out = new Uint8ClampedArray(OW * OH * 4);
	const tiles = planTiles(W, H, o.tile ?? DEFAULT_TILE, o.context ?? DEFAULT_CONTEXT);
	o.onProgress?.(0, tiles.length);
	for (const [n, { x, y }] of tiles.entries()) {
		const iw = x.inEnd - x.inStart;
		const ih = y.inEnd - y.inStart;
		const input = new Float32Array(iw * ih * 3);
		for (let r = 0, j = 0; r < ih; r++) {
			for (let i = ((y.inStart + r) * W + x.inStart) * 4, end = i + iw * 4; i < end; i += 4, j += 3) {
				input[j] = src[i];
				input[j + 1] = src[i + 1];
				input[j + 2] = src[i + 2];
			}
		}
		const tensor = new ort.Tensor('float32', input, [1, ih, iw, 3]);
		const result = await session.run({ [inName]: tensor }, [outName]);
		const t = result[outName];
		const sr = t.data as Float32Array;
		const tw = iw * scale;
		if (sr.length !== tw * ih * scale * 3) {
			throw new DarkroomError('internal', `${id} returned ${sr.length} values for a ${iw}×${ih} tile, expected ${tw}×${ih * scale}×3`);
		}
		// Keep the core only; Uint8ClampedArray clamps to 0..255 and rounds.
		const cx0 = (x.coreStart - x.inStart) * scale;
		const cw = (x.coreEnd - x.coreStart) * scale;
		const cy0 = (y.coreStart - y.inStart) * scale;
		const ch = (y.coreEnd - y.coreStart) * scale;
		for (let r = 0; r < ch; r++) {
			let s = ((cy0 + r) * tw + cx0) * 3;
			let d = ((y.coreStart * scale + r) * OW + x.coreStart * scale) * 4;
			for (let c = 0; c < cw; c++, s += 3, d += 4) {
				out[d] = sr[s];
				out[d + 1] = sr[s + 1];
				out[d + 2] = sr[s + 2];
				out[d + 3] = 255;
			}
		}
		t.dispose?.();
		tensor.dispose?.();
		o.onProgress?.(n + 1, tiles.length);
	}
	return { width: OW, height: OH, data: out };
}
