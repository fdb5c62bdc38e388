import { DarkroomError, invalidParam } from '../api/errors';
import type { Rect } from './geometry';
import type { RGBAImage } from './image';

function nonNegativeInteger(v: unknown, param: string): number {
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalidParam(param, 'non-negative integer', v);
	return v;
}

function positiveInteger(v: unknown, param: string): number {
	if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw invalidParam(param, 'positive integer', v);
	return v;
}

/**
 * Checks a crop request against the image it will cut: x/y non-negative integers,
 * width/height positive integers, and the whole rectangle inside the image. A
 * rectangle that sticks out is an error, never silently clamped: the caller asked
 * for pixels that do not exist.
 */
export function validateCrop(p: unknown, imgW: number, imgH: number): Rect {
	if (typeof p !== 'object' || p === null || Array.isArray(p)) throw invalidParam('crop', 'object with x, y, width and height', p);
	const o = p as Record<string, unknown>;
	const x = nonNegativeInteger(o.x, 'x');
	const y = nonNegativeInteger(o.y, 'y');
	const width = positiveInteger(o.width, 'width');
	const height = positiveInteger(o.height, 'height');
	const right = x + width;
	const bottom = y + height;
	if (right > imgW || bottom > imgH) {
		const over: string[] = [];
		if (right > imgW) over.push(`right edge ${right} > ${imgW}`);
		if (bottom > imgH) over.push(`bottom edge ${bottom} > ${imgH}`);
		throw new DarkroomError(
			'invalid_parameter',
			`Crop rectangle x=${x} y=${y} width=${width} height=${height} extends outside the ${imgW}×${imgH} image (${over.join(', ')})`,
			right > imgW ? 'width' : 'height'
		);
	}
	return { x, y, width, height };
}

/** Copies the rectangle out row by row (validating it first: the check costs nothing next to the copy). */
export function cropImage(img: RGBAImage, rect: Rect): RGBAImage {
	const { x, y, width, height } = validateCrop(rect, img.width, img.height);
	const out = new Uint8ClampedArray(width * height * 4);
	const srcStride = img.width * 4;
	const rowBytes = width * 4;
	if (x === 0 && width === img.width) {
		out.set(img.data.subarray(y * srcStride, (y + height) * srcStride));
	} else {
		for (let r = 0; r < height; r++) {
			const s = (y + r) * srcStride + x * 4;
			out.set(img.data.subarray(s, s + rowBytes), r * rowBytes);
		}
	}
	return { width, height, data: out };
}
