/**
 * Where a network runs: one crop per hole component (grown for context, merged when they
 * overlap; `holeBoxes`), and the size the network sees it at. Pure.
 *
 * - Context: each hole's box grows by max(128, half its longer side) on every side (clamped to
 *   the image), so the crop is at least twice the hole and holds ≥ 128 px of surroundings.
 * - MI-GAN (any size): the crop runs at its own size, scaled down only when its longer side is
 *   over 1024 px, then padded by reflection to multiples of 8 (its down/up-sampling path).
 * - LaMa (fixed 512²): the crop is made square where the image allows it (so the resize to
 *   512² does not distort it), resized to 512², and the result resized back.
 */
import { holeBoxes, type Box } from '../../core/inpaint/regions';
import type { InpainterKind } from './types';
import { LAMA_SIZE } from './signature';

export const MIN_CONTEXT = 128;
export const MIGAN_MAX_SIDE = 1024;
export const MIGAN_MULTIPLE = 8;

export interface CropPlan {
	/** The crop, in image pixels. */
	box: Box;
	/** The crop's size once scaled for the network (before padding). */
	runW: number;
	runH: number;
	/** The tensor's size: run size padded (MI-GAN: to multiples of 8; LaMa: 512). */
	padW: number;
	padH: number;
}

export const contextMargin = (bw: number, bh: number) => Math.max(MIN_CONTEXT, Math.ceil(Math.max(bw, bh) / 2));

/** Grows the shorter side of `b` towards a square, centred, as far as the image allows. */
export function squareBox(b: Box, W: number, H: number): Box {
	const w = b.x1 - b.x0;
	const h = b.y1 - b.y0;
	const grow = (a0: number, a1: number, want: number, size: number): [number, number] => {
		const target = Math.min(want, size);
		let lo = a0 - Math.floor((target - (a1 - a0)) / 2);
		lo = Math.max(0, Math.min(lo, size - target));
		return [lo, lo + target];
	};
	if (w < h) {
		const [x0, x1] = grow(b.x0, b.x1, h, W);
		return { ...b, x0, x1 };
	}
	if (h < w) {
		const [y0, y1] = grow(b.y0, b.y1, w, H);
		return { ...b, y0, y1 };
	}
	return { ...b };
}

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

/** The crops to run for `mask` (non-zero = hole) on a W×H image. */
export function planCrops(mask: Uint8Array, W: number, H: number, kind: InpainterKind): CropPlan[] {
	return holeBoxes(mask, W, H, contextMargin).map((b) => {
		if (kind === 'lama') return { box: squareBox(b, W, H), runW: LAMA_SIZE, runH: LAMA_SIZE, padW: LAMA_SIZE, padH: LAMA_SIZE };
		const w = b.x1 - b.x0;
		const h = b.y1 - b.y0;
		const s = Math.min(1, MIGAN_MAX_SIDE / Math.max(w, h));
		const runW = Math.max(1, Math.round(w * s));
		const runH = Math.max(1, Math.round(h * s));
		return { box: b, runW, runH, padW: roundUp(runW, MIGAN_MULTIPLE), padH: roundUp(runH, MIGAN_MULTIPLE) };
	});
}
