/**
 * Dominant colours: median cut to `k` boxes over a strided sample of the opaque pixels,
 * refined by a few k-means (Lloyd) iterations in RGB, then named from a small palette
 * (English and Simplified Chinese) by hue, saturation and lightness. Deterministic: no
 * random initialisation.
 */
import type { RGBAImage } from '../../core/image';

export interface PaletteColour {
	/** `#rrggbb` of the cluster mean. */
	hex: string;
	/** Share of the (opaque) sampled pixels in this cluster, 0..1. */
	share: number;
	name: string;
	name_zh: string;
}

export const COLOUR_NAMES = {
	red: '红色',
	orange: '橙色',
	yellow: '黄色',
	green: '绿色',
	cyan: '青色',
	blue: '蓝色',
	purple: '紫色',
	pink: '粉色',
	brown: '棕色',
	tan: '浅棕色',
	beige: '米色',
	white: '白色',
	grey: '灰色',
	black: '黑色'
} as const;
export type ColourName = keyof typeof COLOUR_NAMES;

/** Names an sRGB colour (0..255 channels) from the palette above. */
export function nameColour(r: number, g: number, b: number): ColourName {
	const max = Math.max(r, g, b);
	const min = Math.min(r, g, b);
	const l = (max + min) / 510;
	const chroma = (max - min) / 255;
	const s = chroma === 0 ? 0 : chroma / (1 - Math.abs(2 * l - 1));
	if (chroma < 0.08 || (s < 0.12 && chroma < 0.15)) return l < 0.18 ? 'black' : l > 0.86 ? 'white' : 'grey';
	if (l < 0.1) return 'black';
	let h: number;
	if (max === r) h = (((g - b) / (max - min)) % 6) * 60;
	else if (max === g) h = ((b - r) / (max - min) + 2) * 60;
	else h = ((r - g) / (max - min) + 4) * 60;
	if (h < 0) h += 360;
	if (h >= 12 && h < 50) {
		if (l < 0.35 || (l < 0.5 && s < 0.6)) return 'brown';
		if (l > 0.72 && chroma < 0.35) return 'beige';
		if (s < 0.55 && chroma < 0.45) return 'tan';
		return 'orange';
	}
	if (h >= 50 && h < 68) return l < 0.3 ? 'brown' : l > 0.8 && chroma < 0.3 ? 'beige' : 'yellow';
	if (h >= 68 && h < 165) return 'green';
	if (h >= 165 && h < 195) return 'cyan';
	if (h >= 195 && h < 255) return 'blue';
	if (h >= 255 && h < 290) return 'purple';
	if (h >= 290 && h < 340) return 'pink';
	// red: h ≥ 340 or < 12
	return l > 0.72 ? 'pink' : l < 0.3 && s < 0.6 ? 'brown' : 'red';
}

const hex2 = (v: number) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0');
export const toHex = (r: number, g: number, b: number) => `#${hex2(r)}${hex2(g)}${hex2(b)}`;

/** RGB triples of up to `max` opaque pixels on a regular grid. */
export function samplePixels(img: RGBAImage, max = 16_384): Uint8Array {
	const step = Math.max(1, Math.sqrt((img.width * img.height) / max));
	const out: number[] = [];
	const d = img.data;
	for (let fy = step / 2; fy < img.height; fy += step) {
		const y = Math.floor(fy);
		for (let fx = step / 2; fx < img.width; fx += step) {
			const i = (y * img.width + Math.floor(fx)) * 4;
			if (d[i + 3] < 128) continue;
			out.push(d[i], d[i + 1], d[i + 2]);
		}
	}
	return Uint8Array.from(out);
}

/** Median cut of RGB triples into at most k clusters; returns the cluster means. */
export function medianCut(px: Uint8Array, k: number): number[][] {
	const n = px.length / 3;
	if (!n) return [];
	let boxes: number[][] = [Array.from({ length: n }, (_, i) => i)];
	const range = (box: number[], c: number) => {
		let lo = 255;
		let hi = 0;
		for (const i of box) {
			const v = px[i * 3 + c];
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
		return hi - lo;
	};
	while (boxes.length < k) {
		let best = -1;
		let bestScore = 0;
		let bestC = 0;
		boxes.forEach((box, bi) => {
			if (box.length < 2) return;
			for (let c = 0; c < 3; c++) {
				const score = range(box, c) * Math.sqrt(box.length);
				if (score > bestScore) {
					bestScore = score;
					best = bi;
					bestC = c;
				}
			}
		});
		if (best < 0) break;
		const box = [...boxes[best]].sort((a, b) => px[a * 3 + bestC] - px[b * 3 + bestC] || a - b);
		const mid = box.length >> 1;
		boxes = [...boxes.slice(0, best), box.slice(0, mid), box.slice(mid), ...boxes.slice(best + 1)];
	}
	return boxes.map((box) => {
		const m = [0, 0, 0];
		for (const i of box) for (let c = 0; c < 3; c++) m[c] += px[i * 3 + c];
		return m.map((v) => v / box.length);
	});
}

/** Lloyd iterations from `centres`; returns refined centres and their pixel counts (empty clusters dropped). */
export function kMeans(px: Uint8Array, centres: number[][], iterations = 6): { centre: number[]; count: number }[] {
	const n = px.length / 3;
	let cs = centres.map((c) => [...c]);
	let counts = new Array<number>(cs.length).fill(0);
	for (let it = 0; it <= iterations; it++) {
		const sums = cs.map(() => [0, 0, 0]);
		counts = new Array<number>(cs.length).fill(0);
		for (let i = 0; i < n; i++) {
			const r = px[i * 3];
			const g = px[i * 3 + 1];
			const b = px[i * 3 + 2];
			let best = 0;
			let bd = Infinity;
			for (let j = 0; j < cs.length; j++) {
				const dr = r - cs[j][0];
				const dg = g - cs[j][1];
				const db = b - cs[j][2];
				const dist = dr * dr + dg * dg + db * db;
				if (dist < bd) {
					bd = dist;
					best = j;
				}
			}
			sums[best][0] += r;
			sums[best][1] += g;
			sums[best][2] += b;
			counts[best]++;
		}
		if (it === iterations) break;
		cs = cs.map((c, j) => (counts[j] ? sums[j].map((v) => v / counts[j]) : c));
	}
	return cs.map((centre, j) => ({ centre, count: counts[j] })).filter((c) => c.count > 0);
}

/** The image's palette: up to k colours sorted by share (shares sum to 1). */
export function dominantColours(img: RGBAImage, k = 6): PaletteColour[] {
	const px = samplePixels(img);
	const n = px.length / 3;
	if (!n) return [];
	const clusters = kMeans(px, medianCut(px, k));
	return clusters
		.map(({ centre: [r, g, b], count }) => {
			const name = nameColour(r, g, b);
			return { hex: toHex(r, g, b), share: count / n, name, name_zh: COLOUR_NAMES[name] };
		})
		.sort((a, b) => b.share - a.share || a.hex.localeCompare(b.hex));
}

/** Palette entries grouped by name (shares added; the hex of the largest member kept), largest first. */
export function groupByName(palette: readonly PaletteColour[]): PaletteColour[] {
	const by = new Map<string, PaletteColour>();
	for (const c of palette) {
		const g = by.get(c.name);
		if (g) g.share += c.share;
		else by.set(c.name, { ...c });
	}
	return [...by.values()].sort((a, b) => b.share - a.share);
}
