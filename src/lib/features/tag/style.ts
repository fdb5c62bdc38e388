/**
 * Photo or drawing/graphic? Two cheap pixel statistics and one learned score:
 * - `colour_spread`: how many distinct colours (5 bits per channel) it takes to cover 90 %
 *   of the sampled pixels, over min(samples, 2000), capped at 1. Camera photos need many
 *   (measured ≥ 0.10 on every full-size sample photo); diagrams, screenshots, charts and
 *   icons very few (≤ 0.021). This is the main signal (weight 0.6).
 * - `flat_share`: share of horizontally neighbouring pixel pairs (full resolution, on a
 *   sampling grid) that are exactly equal. Flat fills are exact; sensor noise and JPEG
 *   rarely are (weight 0.25).
 * - `drawing_score`: the nsfw classifier's Drawing + Hentai probability (weight 0.15 only:
 *   it also scores 0.6–0.97 "Drawing" on dark indoor group photos).
 * graphic_score = 0.6·few_colours + 0.25·flat + 0.15·drawing_score; ≥ 0.5 is a drawing.
 */
import type { RGBAImage } from '../../core/image';

export interface StyleStats {
	flat_share: number;
	colour_spread: number;
}

export interface StyleVerdict extends StyleStats {
	kind: 'photo' | 'drawing';
	/** Confidence in `kind`, 0.5..1. */
	confidence: number;
	/** 0 = certainly a photo, 1 = certainly a drawing/graphic. */
	graphic_score: number;
	drawing_score: number;
}

export function styleStats(img: RGBAImage, maxSamples = 40_000): StyleStats {
	const { width: w, height: h, data: d } = img;
	const step = Math.max(1, Math.sqrt((w * h) / maxSamples));
	let pairs = 0;
	let flat = 0;
	const bins = new Map<number, number>();
	let samples = 0;
	for (let fy = step / 2; fy < h; fy += step) {
		const y = Math.floor(fy);
		for (let fx = step / 2; fx < w - 1; fx += step) {
			const i = (y * w + Math.floor(fx)) * 4;
			if (d[i + 3] < 128) continue;
			const dr = Math.abs(d[i] - d[i + 4]);
			const dg = Math.abs(d[i + 1] - d[i + 5]);
			const db = Math.abs(d[i + 2] - d[i + 6]);
			pairs++;
			if ((dr | dg | db) === 0) flat++;
			const key = ((d[i] >> 3) << 10) | ((d[i + 1] >> 3) << 5) | (d[i + 2] >> 3);
			bins.set(key, (bins.get(key) ?? 0) + 1);
			samples++;
		}
	}
	if (!samples) return { flat_share: 0, colour_spread: 1 };
	const counts = [...bins.values()].sort((a, b) => b - a);
	let covered = 0;
	let needed = 0;
	for (const c of counts) {
		covered += c;
		needed++;
		if (covered >= samples * 0.9) break;
	}
	return { flat_share: flat / pairs, colour_spread: Math.min(1, needed / Math.min(samples, 2000)) };
}

/** Indicator ramps, from the sample photos and graphics measured in docs/API.md. */
export const FLAT_PHOTO = 0.3;
export const FLAT_GRAPHIC = 0.7;
export const SPREAD_GRAPHIC = 0.02;
export const SPREAD_PHOTO = 0.08;

const ramp = (v: number, lo: number, hi: number) => Math.max(0, Math.min(1, (v - lo) / (hi - lo)));

export function graphicScore(s: StyleStats, drawingScore: number): number {
	const flat = ramp(s.flat_share, FLAT_PHOTO, FLAT_GRAPHIC);
	const few = 1 - ramp(s.colour_spread, SPREAD_GRAPHIC, SPREAD_PHOTO);
	return 0.6 * few + 0.25 * flat + 0.15 * Math.max(0, Math.min(1, drawingScore));
}

export function classifyStyle(s: StyleStats, drawingScore: number): StyleVerdict {
	const g = graphicScore(s, drawingScore);
	const kind = g >= 0.5 ? 'drawing' : 'photo';
	return { kind, confidence: kind === 'drawing' ? g : 1 - g, graphic_score: g, drawing_score: drawingScore, ...s };
}
