import { DarkroomError, invalidParam } from '../../api/errors';
import { parseColor } from '../../core/color';
import type { RGBA, RGBAImage } from '../../core/image';
import { alphaBounds } from '../../core/trim';
import { pickSubsets, type FontManifest } from './font-subsets';

/**
 * Text watermarks drawn with OffscreenCanvas 2D, in a worker or on the page (not in
 * Node). Glyphs come from the bundled Noto Sans SC (scripts/fonts.mjs), loaded subset
 * by subset through the FontFace API, so Chinese renders the same on a machine with no
 * CJK fonts installed, offline, and without shipping the whole 2 MB+ family.
 */

export const FONT_FAMILY = 'Darkroom Sans';
/** Where scripts/fonts.mjs puts the subsets, relative to the origin root. */
export const FONT_BASE_URL = '/fonts/noto-sans-sc/';
/** Browsers refuse (or silently blank) canvases much beyond this on a side. */
const MAX_CANVAS_SIDE = 16384;

export interface TextMarkOptions {
	/** Font size in px. */
	size: number;
	/** RGBA or any colour parseColor accepts. */
	color: RGBA | string;
	/** 0..1 multiplied into the glyph coverage (default 1: leave opacity to compositing). */
	opacity?: number;
	/** Override FONT_BASE_URL when the app is served below the origin root. */
	fontBaseUrl?: string;
}

interface FontHost {
	fonts?: FontFaceSet;
	document?: { fonts?: FontFaceSet };
}

function fontFaceSet(): FontFaceSet {
	const g = globalThis as unknown as FontHost;
	const set = g.fonts ?? g.document?.fonts;
	if (!set || typeof FontFace === 'undefined') {
		throw new DarkroomError('not_implemented', 'Text watermarks need the FontFace API (a worker or page in a current browser)');
	}
	return set;
}

const manifests = new Map<string, Promise<FontManifest>>();
const fontBytes = new Map<string, Promise<ArrayBuffer>>();
const families = new Map<string, Promise<string>>();
let familyCount = 0;

async function fetchOk(url: string): Promise<Response> {
	let res: Response;
	try {
		res = await fetch(url);
	} catch (e) {
		throw new DarkroomError('internal', `Could not fetch watermark font file ${url}: ${(e as Error).message}`);
	}
	if (!res.ok) {
		throw new DarkroomError('internal', `Could not fetch watermark font file ${url}: HTTP ${res.status} (were the fonts prepared with "node scripts/fonts.mjs"?)`);
	}
	return res;
}

/** Memoises a promise by key, forgetting failures so the next call retries. */
function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
	let p = cache.get(key);
	if (!p) {
		p = make();
		p.catch(() => cache.delete(key));
		cache.set(key, p);
	}
	return p;
}

/**
 * Loads the subsets `text` needs and returns the font-family name to draw it with.
 *
 * Why not one family that grows as texts need more subsets: Chrome's worker font
 * cache keeps the fallback it resolved for a font string the first time it is used,
 * so faces added to the same family later are ignored and new characters fall back
 * to system fonts (tofu on a machine without CJK fonts). Each distinct set of
 * subsets therefore gets its own family, "Darkroom Sans N", registered once with
 * every face it needs before it is ever drawn with. The font bytes are fetched once
 * per file and shared.
 */
export async function ensureTextFonts(text: string, fontBaseUrl = FONT_BASE_URL): Promise<string> {
	const base = fontBaseUrl.endsWith('/') ? fontBaseUrl : fontBaseUrl + '/';
	const manifest = await once(manifests, base, () => fetchOk(base + 'ranges.json').then((r) => r.json() as Promise<FontManifest>));
	const set = fontFaceSet();
	const subsets = pickSubsets(text, manifest.subsets);
	const key = base + '|' + subsets.map((s) => s.file).join(',');
	return once(families, key, async () => {
		const family = `${FONT_FAMILY} ${++familyCount}`;
		const faces = await Promise.all(
			subsets.map(async (subset) => {
				const url = base + subset.file;
				// Bytes fetched by hand (not url() in the FontFace) so a missing file is a clear error, not a silent fallback.
				const bytes = await once(fontBytes, url, async () => (await fetchOk(url)).arrayBuffer());
				const face = new FontFace(family, bytes.slice(0), { unicodeRange: subset.unicodeRange, weight: '400', style: 'normal' });
				await face.load();
				return face;
			})
		);
		for (const face of faces) set.add(face);
		return family;
	});
}

/**
 * Renders `text` (lines split on \n) as a straight-alpha RGBA image cut to the ink
 * plus a small transparent border. Glyphs are drawn as coverage only and recoloured
 * exactly, so antialiased edges carry the requested colour rather than whatever the
 * canvas' premultiplied readback rounds it to.
 */
export async function renderTextMark(text: string, opts: TextMarkOptions): Promise<RGBAImage> {
	if (typeof text !== 'string' || text.trim() === '') throw invalidParam('text', 'non-blank string', text);
	const size = opts.size;
	if (typeof size !== 'number' || !(size >= 1 && size <= 2000)) throw invalidParam('size', 'number of px between 1 and 2000', size);
	const color = typeof opts.color === 'string' ? parseColor(opts.color, 'color') : opts.color;
	const opacity = opts.opacity ?? 1;
	if (typeof opacity !== 'number' || !(opacity >= 0 && opacity <= 1)) throw invalidParam('opacity', 'number between 0 and 1', opacity);
	if (typeof OffscreenCanvas === 'undefined') {
		throw new DarkroomError('not_implemented', 'Text watermarks need OffscreenCanvas (a worker or page in a current browser)');
	}

	const family = await ensureTextFonts(text, opts.fontBaseUrl);
	const font = `${size}px "${family}", sans-serif`;
	const lines = text.split(/\r?\n/);
	const probe = new OffscreenCanvas(1, 1).getContext('2d');
	if (!probe) throw new DarkroomError('internal', 'OffscreenCanvas 2D context unavailable');
	probe.font = font;
	const widest = Math.max(...lines.map((l) => probe.measureText(l).width));
	// Generous box: glyphs may overhang their advance (italics, CJK punctuation); the ink trim below takes it back.
	const pad = Math.ceil(size * 0.5) + 2;
	const lineHeight = Math.ceil(size * 1.3);
	const w = Math.ceil(widest) + pad * 2;
	const h = lineHeight * lines.length + pad * 2;
	if (w > MAX_CANVAS_SIDE || h > MAX_CANVAS_SIDE) {
		throw new DarkroomError('unprocessable', `Watermark text at size ${size} would be ${w}×${h} px, over the ${MAX_CANVAS_SIDE} px limit`, 'size');
	}

	const canvas = new OffscreenCanvas(w, h);
	const ctx = canvas.getContext('2d', { willReadFrequently: true });
	if (!ctx) throw new DarkroomError('internal', 'OffscreenCanvas 2D context unavailable');
	ctx.font = font;
	ctx.fillStyle = '#000';
	ctx.textBaseline = 'alphabetic';
	// Baseline one em below the padding: Noto's tallest ink rises ~1.1 em and its
	// descenders drop ~0.3 em, both inside the padded box.
	lines.forEach((line, i) => ctx.fillText(line, pad, pad + size + i * lineHeight));
	const drawn = ctx.getImageData(0, 0, w, h).data;

	const coverage: RGBAImage = { width: w, height: h, data: drawn };
	const ink = alphaBounds(coverage);
	if (!ink) throw new DarkroomError('unprocessable', `Watermark text ${JSON.stringify(text.slice(0, 40))} rendered no visible pixels`, 'text');
	const border = Math.max(1, Math.ceil(size * 0.05));
	const x0 = Math.max(0, ink.x - border);
	const y0 = Math.max(0, ink.y - border);
	const x1 = Math.min(w, ink.x + ink.width + border);
	const y1 = Math.min(h, ink.y + ink.height + border);

	const outW = x1 - x0;
	const outH = y1 - y0;
	const out = new Uint8ClampedArray(outW * outH * 4);
	const alphaScale = (color[3] / 255) * opacity;
	for (let y = 0; y < outH; y++) {
		let s = ((y + y0) * w + x0) * 4 + 3;
		let d = y * outW * 4;
		for (let x = 0; x < outW; x++, s += 4, d += 4) {
			const a = drawn[s] * alphaScale;
			if (a === 0) continue;
			out[d] = color[0];
			out[d + 1] = color[1];
			out[d + 2] = color[2];
			out[d + 3] = a;
		}
	}
	return { width: outW, height: outH, data: out };
}
