import { invalidParam } from '../api/errors';
import type { Rect } from './geometry';
import type { RGBA, RGBAImage } from './image';

/**
 * Porter-Duff "source over", in place on `dst`, with `src`'s top-left at (x, y) and its
 * alpha scaled by `opacity`. Works on straight (non-premultiplied) RGBA in and out:
 *   αo = αs + αd(1 − αs),  Co = (Cs·αs + Cd·αd(1 − αs)) / αo
 * so a half-transparent source over a transparent destination keeps its own colour
 * (it does not darken towards the destination's meaningless RGB). The parts of `src`
 * outside `dst` are clipped. Non-integer x/y are rounded. Returns `dst`.
 */
export function compositeOver(dst: RGBAImage, src: RGBAImage, x: number, y: number, opacity = 1): RGBAImage {
	if (typeof opacity !== 'number' || !(opacity >= 0 && opacity <= 1)) throw invalidParam('opacity', 'number between 0 and 1', opacity);
	if (!Number.isFinite(x)) throw invalidParam('x', 'finite number', x);
	if (!Number.isFinite(y)) throw invalidParam('y', 'finite number', y);
	x = Math.round(x);
	y = Math.round(y);
	const x0 = Math.max(0, x);
	const y0 = Math.max(0, y);
	const x1 = Math.min(dst.width, x + src.width);
	const y1 = Math.min(dst.height, y + src.height);
	if (x0 >= x1 || y0 >= y1 || opacity === 0) return dst;

	const d = dst.data;
	const s = src.data;
	// Alpha in 0..1 scaled by opacity, folded into one factor per source pixel.
	const k = opacity / 255;
	for (let row = y0; row < y1; row++) {
		let di = (row * dst.width + x0) * 4;
		let si = ((row - y) * src.width + (x0 - x)) * 4;
		for (let col = x0; col < x1; col++, di += 4, si += 4) {
			const sa = s[si + 3] * k;
			if (sa === 0) continue;
			if (sa >= 1) {
				d[di] = s[si];
				d[di + 1] = s[si + 1];
				d[di + 2] = s[si + 2];
				d[di + 3] = 255;
				continue;
			}
			const da = d[di + 3] / 255;
			const dw = da * (1 - sa);
			const oa = sa + dw;
			const inv = 1 / oa;
			d[di] = (s[si] * sa + d[di] * dw) * inv;
			d[di + 1] = (s[si + 1] * sa + d[di + 1] * dw) * inv;
			d[di + 2] = (s[si + 2] * sa + d[di + 2] * dw) * inv;
			d[di + 3] = oa * 255;
		}
	}
	return dst;
}

/**
 * A new image with `img` composited over a solid `background` (e.g. before encoding to
 * JPEG, which has no alpha). An opaque background gives an opaque image.
 */
export function flattenOnto(img: RGBAImage, background: RGBA): RGBAImage {
	const { width, height, data } = img;
	const out = new Uint8ClampedArray(data.length);
	const [br, bg, bb, ba] = background;
	const bda = ba / 255;
	for (let i = 0; i < data.length; i += 4) {
		const sa = data[i + 3] / 255;
		if (sa === 1) {
			out[i] = data[i];
			out[i + 1] = data[i + 1];
			out[i + 2] = data[i + 2];
			out[i + 3] = 255;
			continue;
		}
		const dw = bda * (1 - sa);
		const oa = sa + dw;
		if (oa === 0) continue;
		const inv = 1 / oa;
		out[i] = (data[i] * sa + br * dw) * inv;
		out[i + 1] = (data[i + 1] * sa + bg * dw) * inv;
		out[i + 2] = (data[i + 2] * sa + bb * dw) * inv;
		out[i + 3] = oa * 255;
	}
	return { width, height, data: out };
}

/**
 * Sets every pixel of `rect` (clipped to the image) to `color`, replacing rather than
 * blending: this is for letterbox bars and backgrounds, not for drawing. Returns `img`.
 */
export function fillRect(img: RGBAImage, rect: Rect, color: RGBA): RGBAImage {
	const x0 = Math.max(0, Math.round(rect.x));
	const y0 = Math.max(0, Math.round(rect.y));
	const x1 = Math.min(img.width, Math.round(rect.x + rect.width));
	const y1 = Math.min(img.height, Math.round(rect.y + rect.height));
	if (x0 >= x1 || y0 >= y1) return img;
	const d = img.data;
	const rowLen = (x1 - x0) * 4;
	const first = (y0 * img.width + x0) * 4;
	for (let i = 0; i < rowLen; i += 4) {
		d[first + i] = color[0];
		d[first + i + 1] = color[1];
		d[first + i + 2] = color[2];
		d[first + i + 3] = color[3];
	}
	for (let row = y0 + 1; row < y1; row++) d.copyWithin((row * img.width + x0) * 4, first, first + rowLen);
	return img;
}

/**
 * `img` placed at (x, y) on a new width×height canvas filled with `background`: the
 * letterbox step of resize's contain (see ResizePlan).
 */
export function embedImage(img: RGBAImage, width: number, height: number, x: number, y: number, background: RGBA): RGBAImage {
	const data = new Uint8ClampedArray(width * height * 4);
	const canvas: RGBAImage = { width, height, data };
	if (background[0] | background[1] | background[2] | background[3]) fillRect(canvas, { x: 0, y: 0, width, height }, background);
	// Copy, not blend: the image's own transparency must survive the letterbox (sharp embeds the same way).
	const cx0 = Math.max(0, x);
	const cy0 = Math.max(0, y);
	const cx1 = Math.min(width, x + img.width);
	const cy1 = Math.min(height, y + img.height);
	if (cx0 >= cx1 || cy0 >= cy1) return canvas;
	const rowLen = (cx1 - cx0) * 4;
	for (let row = cy0; row < cy1; row++) {
		const s = ((row - y) * img.width + (cx0 - x)) * 4;
		data.set(img.data.subarray(s, s + rowLen), (row * width + cx0) * 4);
	}
	return canvas;
}
