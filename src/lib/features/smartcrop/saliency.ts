/**
 * A fast saliency map in the manner of smartcrop.js: edge detail, skin tones and
 * saturation on a small copy of the image. No model: a few milliseconds for any photo.
 */
import { blurPlanes } from '../../core/blur';
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';

export interface SaliencyMap {
	width: number;
	height: number;
	/** One value ≥ 0 per cell, row-major. */
	data: Float32Array;
}

/** Weights of the three cues (smartcrop.js's defaults, rebalanced for photos). */
export const SALIENCY_WEIGHTS = { detail: 1, skin: 1.2, saturation: 0.4 } as const;
/** Longest side of the working copy. */
export const SALIENCY_SIDE = 256;

const SKIN = [0.78, 0.57, 0.44] as const;
const SKIN_NORM = Math.hypot(...SKIN);

/** 0..1: how close the chroma direction of (r, g, b) is to skin, gated by brightness. */
export function skinness(r: number, g: number, b: number): number {
	const mag = Math.hypot(r, g, b);
	if (mag < 1) return 0;
	const l = (r + g + b) / 765;
	if (l < 0.15 || l > 0.95) return 0;
	const dr = r / mag - SKIN[0] / SKIN_NORM, dg = g / mag - SKIN[1] / SKIN_NORM, db = b / mag - SKIN[2] / SKIN_NORM;
	const d = Math.hypot(dr, dg, db);
	return Math.max(0, 1 - d / 0.2);
}

/** 0..1 HSL saturation, gated to mid lightness (near-white and near-black carry no colour). */
export function saturationOf(r: number, g: number, b: number): number {
	const mx = Math.max(r, g, b) / 255, mn = Math.min(r, g, b) / 255;
	const l = (mx + mn) / 2;
	if (l < 0.1 || l > 0.9 || mx === mn) return 0;
	const d = mx - mn;
	return l > 0.5 ? d / (2 - mx - mn) : d / (mx + mn);
}

export function saliencyMap(img: RGBAImage, side = SALIENCY_SIDE): SaliencyMap {
	const s = Math.min(1, side / Math.max(img.width, img.height));
	const w = Math.max(1, Math.round(img.width * s));
	const h = Math.max(1, Math.round(img.height * s));
	const small = w === img.width && h === img.height ? img : resizeImage(img, w, h, 'linear');
	const d = small.data;
	const n = w * h;
	const luma = new Float32Array(n);
	for (let i = 0; i < n; i++) luma[i] = (0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2]) / 255;
	const out = new Float32Array(n);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const i = y * w + x;
			const c = luma[i];
			const lap = 4 * c - luma[y * w + Math.max(0, x - 1)] - luma[y * w + Math.min(w - 1, x + 1)] - luma[Math.max(0, y - 1) * w + x] - luma[Math.min(h - 1, y + 1) * w + x];
			const r = d[i * 4], g = d[i * 4 + 1], b = d[i * 4 + 2];
			const a = d[i * 4 + 3] / 255;
			const detail = Math.min(1, Math.abs(lap) * 4);
			out[i] = a * (SALIENCY_WEIGHTS.detail * detail + SALIENCY_WEIGHTS.skin * skinness(r, g, b) + SALIENCY_WEIGHTS.saturation * saturationOf(r, g, b));
		}
	// Regions rather than single edge pixels: a crop should hold whole objects.
	blurPlanes(out, w, h, 1, Math.max(1, Math.max(w, h) / 64));
	return { width: w, height: h, data: out };
}
