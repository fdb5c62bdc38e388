import { DarkroomError, invalidParam } from '../api/errors';
import type { ImageRef, WatermarkPosition } from '../api/types';
import { parseColor } from './color';
import { MAX_DIMENSION } from './geometry';
import type { RGBA } from './image';
import { rotatedSize } from './rotate';

export const WATERMARK_POSITIONS: readonly WatermarkPosition[] = ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'center'];

const POSITION_ALIASES: Record<string, WatermarkPosition> = {
	topleft: 'top-left', lefttop: 'top-left', northwest: 'top-left', nw: 'top-left',
	topright: 'top-right', righttop: 'top-right', northeast: 'top-right', ne: 'top-right',
	bottomleft: 'bottom-left', leftbottom: 'bottom-left', southwest: 'bottom-left', sw: 'bottom-left',
	bottomright: 'bottom-right', rightbottom: 'bottom-right', southeast: 'bottom-right', se: 'bottom-right',
	center: 'center', centre: 'center', middle: 'center'
};

const POSITION_EXPECTED = 'one of "top-left", "top-right", "bottom-left", "bottom-right", "center"';

/** Seed 000 documents 'bottom-right' but its own example sends 'bottom_right': both, and case/space variants, are accepted. */
export function normalizePosition(value: unknown): WatermarkPosition {
	if (typeof value === 'string') {
		const p = POSITION_ALIASES[value.trim().toLowerCase().replace(/[\s_-]+/g, '')];
		if (p) return p;
	}
	throw invalidParam('position', POSITION_EXPECTED, value);
}

/**
 * Top-left corner of a markW×markH watermark at `position`, `margin` px in from the
 * named edges (centre ignores the margin). A mark plus margins that does not fit is
 * pulled back inside the image; a mark larger than the image stays aligned to the
 * requested side and is clipped on the other.
 */
export function placeWatermark(
	imgW: number, imgH: number, markW: number, markH: number,
	position: WatermarkPosition | string, margin: number
): { x: number; y: number } {
	const pos = normalizePosition(position);
	const m = Math.max(0, Math.round(margin));
	const freeX = imgW - markW;
	const freeY = imgH - markH;
	let x: number;
	let y: number;
	if (pos === 'center') {
		x = Math.floor(freeX / 2);
		y = Math.floor(freeY / 2);
	} else {
		x = pos.endsWith('left') ? m : freeX - m;
		y = pos.startsWith('top') ? m : freeY - m;
	}
	const clamp = (v: number, free: number) => Math.min(Math.max(v, Math.min(0, free)), Math.max(0, free));
	return { x: clamp(x, freeX), y: clamp(y, freeY) };
}

export interface TileLayout {
	/** Anticlockwise degrees, as HivisionIDPhotos (PIL's rotate): 30 makes text rise to the right. */
	angle: number;
	/** Gap in px between neighbouring marks, along and across the rotated rows. */
	space: number;
}

/**
 * Where to put each copy of a markW×markH watermark to tile the whole image,
 * HivisionIDPhotos-style: rows of marks `space` px apart, every other row shifted by
 * half a step (a brick pattern), the whole grid rotated by `angle` about the image
 * centre, with one mark centred on the image. Each entry is the top-left of the
 * *rotated* mark's bounding box (rotatedSize(markW, markH, angle)), i.e. where
 * rotateImage(mark, -angle) goes; entries may be negative or run past the image
 * (compositing clips). Every tile whose box touches the image is listed, so the
 * corners are covered whatever the angle. Order: row by row, deterministic.
 */
export function tileWatermarkPositions(
	imgW: number, imgH: number, markW: number, markH: number, layout: TileLayout
): Array<{ x: number; y: number }> {
	const { width: boxW, height: boxH } = rotatedSize(markW, markH, layout.angle);
	const stepU = markW + Math.max(0, layout.space);
	const stepV = markH + Math.max(0, layout.space);
	const rad = (layout.angle * Math.PI) / 180;
	const cos = Math.cos(rad);
	const sin = Math.sin(rad);
	const cx = imgW / 2;
	const cy = imgH / 2;
	// Any tile whose box touches the image has its centre within this radius of the image centre.
	const reach = Math.hypot(imgW, imgH) / 2 + Math.hypot(boxW, boxH) / 2;
	const rows = Math.ceil(reach / stepV) + 1;
	const cols = Math.ceil(reach / stepU) + 1;
	const out: Array<{ x: number; y: number }> = [];
	for (let j = -rows; j <= rows; j++) {
		const v = j * stepV;
		const shift = (j & 1) === 0 ? 0 : stepU / 2;
		for (let i = -cols; i <= cols; i++) {
			const u = i * stepU + shift;
			// Anticlockwise on screen (y down): (u, v) → (u·cos + v·sin, −u·sin + v·cos).
			const tx = cx + u * cos + v * sin;
			const ty = cy - u * sin + v * cos;
			const x = Math.round(tx - boxW / 2);
			const y = Math.round(ty - boxH / 2);
			if (x < imgW && y < imgH && x + boxW > 0 && y + boxH > 0) out.push({ x, y });
		}
	}
	return out;
}

/** Width in px of an image watermark: `size` ≤ 1 is a fraction of the image width, > 1 is px. */
export function watermarkImageWidth(size: number, imgW: number): number {
	return Math.max(1, Math.round(size <= 1 ? size * imgW : size));
}

export interface WatermarkSpec {
	text?: string;
	/** Passed through untouched: resolving an ImageRef is the API's job. */
	watermark_image?: ImageRef;
	position: WatermarkPosition;
	/** 0..1, applied to the mark's own alpha. */
	opacity: number;
	/** Text: font size in px. Image: width as a fraction of the image width (≤ 1) or in px (> 1). */
	size: number;
	color: RGBA;
	/** px between the mark and the edges it is anchored to (ignored for center and tiled). */
	margin: number;
	tiled: boolean;
	/** Tiled only: anticlockwise degrees. */
	angle: number;
	/** Tiled only: px between marks. */
	space: number;
}

/**
 * Defaults, chosen after the seed each mode comes from:
 * - tiled (seed 001, HivisionIDPhotos): opacity 0.5, size 20 px, colour #000000, angle 30, space 25.
 * - positioned (seed 000): opacity 0.6 (the seed's own example), colour #ffffff;
 *   text size 5% of the image's shorter side (at least 12 px) when the image size is
 *   known, else 24 px; margin 2% of the shorter side (at least 4 px) when known, else 16 px.
 * - image marks: size 0.2 (a fifth of the image width).
 * Call it once without the image size to fail early, and again with it once decoded
 * to get the size-dependent defaults.
 */
export function validateWatermarkParams(p: unknown, image?: { width: number; height: number }): WatermarkSpec {
	if (typeof p !== 'object' || p === null || Array.isArray(p)) throw invalidParam('watermark', 'object', p);
	const o = p as Record<string, unknown>;
	const defined = (v: unknown) => v !== undefined && v !== null;

	const hasText = defined(o.text);
	const hasImage = defined(o.watermark_image);
	if (!hasText && !hasImage) {
		throw new DarkroomError('invalid_parameter', 'Expected text or watermark_image for watermark but received neither', 'text');
	}
	if (hasText && hasImage) {
		throw new DarkroomError('invalid_parameter', 'Expected only one of text or watermark_image for watermark but received both', 'watermark_image');
	}
	if (hasText && (typeof o.text !== 'string' || o.text.trim() === '' || o.text.length > 1000)) {
		throw invalidParam('text', 'non-blank string of at most 1000 characters', o.text);
	}

	let tiled = false;
	if (defined(o.tiled)) {
		if (typeof o.tiled !== 'boolean') throw invalidParam('tiled', 'boolean', o.tiled);
		tiled = o.tiled;
	}

	const position = defined(o.position) ? normalizePosition(o.position) : 'bottom-right';

	let opacity = tiled ? 0.5 : 0.6;
	if (defined(o.opacity)) {
		if (typeof o.opacity !== 'number' || !(o.opacity >= 0 && o.opacity <= 1)) throw invalidParam('opacity', 'number between 0 and 1', o.opacity);
		opacity = o.opacity;
	}

	const shorter = image ? Math.min(image.width, image.height) : 0;
	let size: number;
	if (defined(o.size)) {
		const s = o.size;
		if (hasText) {
			if (typeof s !== 'number' || !(s >= 1 && s <= 2000)) throw invalidParam('size', 'number of px between 1 and 2000', s);
		} else if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0 || s > MAX_DIMENSION) {
			throw invalidParam('size', `fraction of the image width in (0, 1] or px up to ${MAX_DIMENSION}`, s);
		}
		size = s as number;
	} else if (!hasText) {
		size = 0.2;
	} else if (tiled) {
		size = 20;
	} else {
		size = image ? Math.max(12, Math.round(shorter * 0.05)) : 24;
	}

	const color: RGBA = defined(o.color) ? parseColor(o.color as string, 'color') : tiled ? [0, 0, 0, 255] : [255, 255, 255, 255];

	let margin = image ? Math.max(4, Math.round(shorter * 0.02)) : 16;
	if (defined(o.margin)) {
		if (typeof o.margin !== 'number' || !Number.isFinite(o.margin) || o.margin < 0 || o.margin > MAX_DIMENSION) {
			throw invalidParam('margin', 'non-negative number of px', o.margin);
		}
		margin = Math.round(o.margin);
	}

	let angle = 30;
	if (defined(o.angle)) {
		if (typeof o.angle !== 'number' || !Number.isFinite(o.angle) || Math.abs(o.angle) > 360) {
			throw invalidParam('angle', 'number of degrees between -360 and 360', o.angle);
		}
		angle = o.angle;
	}

	let space = 25;
	if (defined(o.space)) {
		if (typeof o.space !== 'number' || !Number.isInteger(o.space) || o.space < 0 || o.space > MAX_DIMENSION) {
			throw invalidParam('space', 'non-negative integer', o.space);
		}
		space = o.space;
	}

	const spec: WatermarkSpec = { position, opacity, size, color, margin, tiled, angle, space };
	if (hasText) spec.text = o.text as string;
	else spec.watermark_image = o.watermark_image as ImageRef;
	return spec;
}
