import { DarkroomError } from '../api/errors';
import type { HeaderInfo, Limits } from '../codecs/types';
import { planResize } from '../core/geometry';
import { validateCrop } from '../core/crop';
import { rotatedSize } from '../core/rotate';
import { orientedSize } from '../core/orient';
import { cropSizeForAspect, scaledCropSize } from '../features/smartcrop/aspect';
import { checkAiEnlarge, planAiEnlarge } from '../features/superres/passes';
import type { NormalizedOp } from './ops';

/**
 * Walks the op list over sizes only, from the header, so that a crop outside the
 * (already resized) image or an absurd output size is rejected before decoding.
 * Returns the size after each op.
 */
export function dryRun(info: HeaderInfo, orientation: number, autoOrient: boolean, ops: NormalizedOp[], limits: Limits, nameOps: boolean): { width: number; height: number }[] {
	let { width: w, height: h } = autoOrient ? orientedSize(info.width, info.height, orientation) : { width: info.width, height: info.height };
	const sizes: { width: number; height: number }[] = [];
	ops.forEach((op, i) => {
		try {
			switch (op.op) {
				case 'resize': {
					const p = planResize(w, h, op);
					// Kernel 'ai' enlarges through the network's own (larger) size: limited on its own.
					const ai = op.kernel === 'ai' ? planAiEnlarge(w, h, p.scaleW, p.scaleH) : undefined;
					if (ai) checkAiEnlarge(ai, w, h, limits);
					w = p.canvasW;
					h = p.canvasH;
					break;
				}
				case 'crop':
					validateCrop(op, w, h);
					w = op.width;
					h = op.height;
					break;
				case 'rotate':
					({ width: w, height: h } = rotatedSize(w, h, op.degrees));
					break;
				case 'auto_orient':
					break;
				case 'smart_crop':
					// The window is the largest of the aspect that fits, so its size is known now.
					({ width: w, height: h } = scaledCropSize(cropSizeForAspect(w, h, op.aspect), op.width, op.height));
					break;
				case 'face_blur':
					op.regions.forEach((r, k) => {
						if (r.x >= w || r.y >= h)
							throw new DarkroomError('invalid_parameter', `Region x=${r.x} y=${r.y} lies outside the ${w}×${h} image`, `regions[${k}]`);
					});
					break;
				default:
					break;
			}
		} catch (e) {
			if (e instanceof DarkroomError && nameOps) throw opError(e, i, op.op);
			throw e;
		}
		if (w * h > limits.maxPixels || w > limits.maxDimension || h > limits.maxDimension)
			throw new DarkroomError(
				'too_large',
				`${op.op} would make a ${w}×${h} image (${((w * h) / 1e6).toFixed(1)} megapixels); the limit is ${(limits.maxPixels / 1e6).toFixed(0)} megapixels and ${limits.maxDimension} px per side`,
				nameOps ? `ops[${i}]` : undefined
			);
		sizes.push({ width: w, height: h });
	});
	return sizes;
}

/** In `process`, an error raised by an op names it, so a form can put it next to the right field. */
export function opError(e: DarkroomError, index: number, name: string): DarkroomError {
	if (e.param?.startsWith('ops[')) return e;
	return new DarkroomError(e.code, `ops[${index}] (${name}): ${e.message}`, e.param ? `ops[${index}].params.${e.param}` : `ops[${index}]`);
}
