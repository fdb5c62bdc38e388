/**
 * Redaction of rectangular regions (detected faces, user boxes): each region is blurred,
 * pixelated or filled inside a feathered ellipse or rounded box. Pixels outside every
 * region's shape are never written, so they stay byte-identical.
 */
import { gaussianBlur, pixelate } from '../../core/blur';
import { cropImage } from '../../core/crop';
import type { Rect } from '../../core/geometry';
import { cloneImage, type RGBA, type RGBAImage } from '../../core/image';

export type BlurStyle = 'gaussian' | 'pixelate' | 'box';
export type BlurShape = 'ellipse' | 'rect';

export interface RedactRegion extends Rect {
	shape: BlurShape;
}

export interface RedactOptions {
	style: BlurStyle;
	/** 0–100: how strong the blur or how coarse the pixels, relative to the region's size. */
	strength: number;
	/** Fill of the 'box' style. */
	color: RGBA;
}

export const DEFAULT_STRENGTH = 50;
/** Margin added around a detected face box, as a fraction of its size on each side. */
export const DEFAULT_MARGIN = 0.2;
/** Width of the soft edge, as a fraction of the region's shorter side. */
const FEATHER = 0.12;

/** A face box grown by `margin` × its size on every side, rounded outwards and clipped to the image. */
export function expandBox(b: Rect, margin: number, W: number, H: number): Rect {
	const x0 = Math.max(0, Math.floor(b.x - b.width * margin));
	const y0 = Math.max(0, Math.floor(b.y - b.height * margin));
	const x1 = Math.min(W, Math.ceil(b.x + b.width * (1 + margin)));
	const y1 = Math.min(H, Math.ceil(b.y + b.height * (1 + margin)));
	return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** Blur σ (gaussian) or block size (pixelate) in px for a region of shorter side `side`. */
export function effectSize(style: BlurStyle, strength: number, side: number): number {
	const k = strength / 100;
	if (style === 'pixelate') return Math.max(2, Math.round(side * 0.25 * k));
	return Math.max(1, side * 0.25 * k);
}

function smoothstep(t: number): number {
	t = Math.max(0, Math.min(1, t));
	return t * t * (3 - 2 * t);
}

/**
 * Coverage 0..1 of pixel (px, py) (centre at +0.5) by a region's shape: 1 inside, falling
 * to 0 over the feather band at the shape's edge, 0 outside.
 */
export function coverage(r: RedactRegion, px: number, py: number): number {
	const side = Math.min(r.width, r.height);
	const f = Math.max(1, side * FEATHER);
	const x = px + 0.5 - (r.x + r.width / 2);
	const y = py + 0.5 - (r.y + r.height / 2);
	const hw = r.width / 2, hh = r.height / 2;
	let inside: number; // distance (px) from the edge inwards; negative outside
	if (r.shape === 'ellipse') {
		const d = Math.hypot(x / hw, y / hh);
		if (d >= 1) return 0;
		inside = (1 - d) * Math.min(hw, hh);
	} else {
		const rad = Math.min(side * 0.2, hw, hh);
		const qx = Math.abs(x) - (hw - rad), qy = Math.abs(y) - (hh - rad);
		const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - rad;
		if (outside >= 0) return 0;
		inside = -outside;
	}
	return smoothstep(inside / f);
}

/** A copy of `img` with every region redacted. */
export function redactRegions(img: RGBAImage, regions: RedactRegion[], opts: RedactOptions): RGBAImage {
	const out = cloneImage(img);
	for (const r of regions) {
		if (r.width <= 0 || r.height <= 0) continue;
		const side = Math.min(r.width, r.height);
		let effect: RGBAImage | null = null;
		let ex = r.x, ey = r.y;
		if (opts.style === 'gaussian') {
			const sigma = effectSize('gaussian', opts.strength, side);
			// Blur a padded patch of the original so the region's edge sees its real surroundings.
			const pad = Math.ceil(sigma * 2.5);
			const x0 = Math.max(0, r.x - pad), y0 = Math.max(0, r.y - pad);
			const x1 = Math.min(img.width, r.x + r.width + pad), y1 = Math.min(img.height, r.y + r.height + pad);
			effect = gaussianBlur(cropImage(out, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }), sigma);
			ex = x0;
			ey = y0;
		} else if (opts.style === 'pixelate') {
			effect = pixelate(cropImage(out, r), effectSize('pixelate', opts.strength, side));
		}
		blendInto(out, r, effect, ex, ey, opts.color);
	}
	return out;
}

/** Writes effect (or the solid colour) over `out` within the region's shape, by coverage. */
function blendInto(out: RGBAImage, r: RedactRegion, effect: RGBAImage | null, ex: number, ey: number, color: RGBA): void {
	const d = out.data;
	for (let y = r.y; y < r.y + r.height; y++)
		for (let x = r.x; x < r.x + r.width; x++) {
			const c = coverage(r, x, y);
			if (c <= 0) continue;
			const i = (y * out.width + x) * 4;
			let src: ArrayLike<number>, si: number;
			if (effect) {
				src = effect.data;
				si = ((y - ey) * effect.width + (x - ex)) * 4;
			} else {
				src = color;
				si = 0;
			}
			for (let k = 0; k < 4; k++) d[i + k] = d[i + k] + (src[si + k] - d[i + k]) * c;
		}
}
