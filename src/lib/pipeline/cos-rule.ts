/**
 * Processing rules in Cloud Infinite's syntax (seed 003 Pic-Operations `rule`, and the query
 * of a delivery URL such as `?imageMogr2/thumbnail/400x/format/webp`), turned into
 * `image.process` requests.
 *
 * Supported:
 *  - imageMogr2: thumbnail (`!50p`, `!50px`, `!x50p`, `400x`, `x300`, `400x300`, `400x300!`,
 *    `400x300>`, `400x300<`, `400x300r`, `160000@`), crop (`300x200`, `300x`, `x200`, with
 *    gravity/dx/dy), cut (`WxHxDXxDY`), scrop (smart crop to W×H), rotate (clockwise degrees),
 *    auto-orient, flip (vertical | horizontal), format (jpg, png, webp, avif), quality (`85`,
 *    `85!`), rquality / lquality (treated as the quality), strip and interlace (accepted: output
 *    is always stripped unless asked otherwise; interlace has no effect), ignore-error.
 *  - imageView2/<mode>/w/<W>/h/<H>/format/<f>/q/<q> with modes 0–5:
 *    0 long/short edge at most, 1 cover W×H and crop the centre (one side: a square),
 *    2 fit inside W×H, 3 cover W×H without cropping, 4 long/short edge at least,
 *    5 cover long/short edge and crop the centre.
 *  - style/<name>: a named transformation.
 *  - several processors joined by `|` run in order.
 *
 * A rule becomes process ops only once the image's size is known, because percentages, long
 * and short edges and pixel areas depend on it: `parseCosRule` checks the syntax up front (400
 * naming the bad part), `resolveCosRule` turns it into ops for a given width and height.
 */
import { DarkroomError, invalidParam } from '../api/errors';
import type { OutputFormat } from '../codecs/types';
import { normalizeGravity, planResize, type Anchor } from '../core/geometry';
import { rotatedSize } from '../core/rotate';
import { checkName, type ProcessRequestPart } from './transform';

type Fit = 'cover' | 'contain' | 'fill' | 'inside' | 'outside';

export type CosStep =
	| { kind: 'scale'; px?: number; py?: number }
	| { kind: 'fit'; w?: number; h?: number; fit: Fit; only?: 'shrink' | 'enlarge' }
	| { kind: 'edges'; long?: number; short?: number; mode: 'at-most' | 'at-least' | 'crop' }
	| { kind: 'area'; pixels: number }
	| { kind: 'crop'; w?: number; h?: number; gravity: Anchor; dx: number; dy: number }
	| { kind: 'cut'; w: number; h: number; dx: number; dy: number }
	| { kind: 'scrop'; w: number; h: number }
	| { kind: 'rotate'; degrees: number }
	| { kind: 'auto_orient' }
	| { kind: 'flip' }
	| { kind: 'flop' }
	| { kind: 'style'; name: string };

export interface CosRule {
	steps: CosStep[];
	/** `ci-process=ImageRepair&MaskPic=…&MaskPoly=…` (seed 002 on a stored object): a repair instead of steps. */
	repair?: { MaskPic?: string; MaskPoly?: string };
	format?: OutputFormat;
	quality?: number;
	ignoreError: boolean;
}

const FORMATS: Record<string, OutputFormat> = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif' };
const MAX_SIDE = 65535;

function bad(param: string, expected: string, got: unknown): DarkroomError {
	return invalidParam(param, expected, got);
}

function int(v: string | undefined, param: string, min: number, max: number): number {
	if (v === undefined || !/^\d+$/.test(v)) throw bad(param, `an integer from ${min} to ${max}`, v);
	const n = Number(v);
	if (n < min || n > max) throw bad(param, `an integer from ${min} to ${max}`, v);
	return n;
}

function signedInt(v: string | undefined, param: string): number {
	if (v === undefined || !/^-?\d+$/.test(v)) throw bad(param, 'an integer', v);
	return Number(v);
}

function format(v: string | undefined, param: string): OutputFormat {
	const f = v === undefined ? undefined : FORMATS[v.toLowerCase()];
	if (!f) {
		if (v && /^(gif|heif|heic|tpg|bmp|svgz?|yjpeg|avifs)$/i.test(v)) throw new DarkroomError('unsupported_format', `${param}: Darkroom writes jpg, png, webp and avif, not ${v}`, param);
		throw bad(param, 'one of jpg, png, webp, avif', v);
	}
	return f;
}

/** `400x300`, `400x`, `x300` → sizes (either may be missing, not both). */
function wxh(v: string | undefined, param: string): { w?: number; h?: number } {
	const m = v === undefined ? null : /^(\d*)x(\d*)$/.exec(v);
	if (!m || (m[1] === '' && m[2] === '')) throw bad(param, 'a size such as 400x300, 400x or x300', v);
	const out: { w?: number; h?: number } = {};
	if (m[1] !== '') out.w = int(m[1], param, 1, MAX_SIDE);
	if (m[2] !== '') out.h = int(m[2], param, 1, MAX_SIDE);
	return out;
}

function thumbnail(v: string | undefined, param: string): CosStep {
	if (v === undefined) throw bad(param, 'a thumbnail spec such as 400x, 400x300, !50p or 160000@', v);
	let m: RegExpExecArray | null;
	if ((m = /^!(\d+)p$/.exec(v))) {
		const p = int(m[1], param, 1, 1000);
		return { kind: 'scale', px: p, py: p };
	}
	if ((m = /^!(\d+)px$/.exec(v))) return { kind: 'scale', px: int(m[1], param, 1, 1000) };
	if ((m = /^!x(\d+)p$/.exec(v))) return { kind: 'scale', py: int(m[1], param, 1, 1000) };
	if ((m = /^(\d+)@$/.exec(v))) return { kind: 'area', pixels: int(m[1], param, 1, 1_000_000_000) };
	if ((m = /^(\d*x\d*)([!r><]?)$/.exec(v))) {
		const { w, h } = wxh(m[1], param);
		const flag = m[2];
		if (flag === '!') {
			if (w === undefined || h === undefined) throw bad(param, 'both width and height with "!" (e.g. 400x300!)', v);
			return { kind: 'fit', w, h, fit: 'fill' };
		}
		if (flag === 'r') return { kind: 'fit', w, h, fit: w !== undefined && h !== undefined ? 'outside' : 'inside' };
		const step: CosStep = { kind: 'fit', w, h, fit: 'inside' };
		if (flag === '>') step.only = 'shrink';
		if (flag === '<') step.only = 'enlarge';
		return step;
	}
	throw bad(param, 'a thumbnail spec such as 400x, x300, 400x300, 400x300!, 400x300>, 400x300r, !50p or 160000@', v);
}

function parseMogr2(parts: string[], rule: CosRule, param: string): void {
	let i = 0;
	let lastCrop: Extract<CosStep, { kind: 'crop' }> | undefined;
	let gravity: Anchor | undefined;
	while (i < parts.length) {
		const key = parts[i];
		const value = parts[i + 1];
		const where = `${param} (imageMogr2/${key})`;
		switch (key) {
			case 'thumbnail':
				rule.steps.push(thumbnail(value, where));
				i += 2;
				break;
			case 'crop': {
				const { w, h } = wxh(value, where);
				lastCrop = { kind: 'crop', w, h, gravity: gravity ?? 'top-left', dx: 0, dy: 0 };
				rule.steps.push(lastCrop);
				i += 2;
				break;
			}
			case 'gravity': {
				gravity = normalizeGravity(value, where);
				if (lastCrop) lastCrop.gravity = gravity;
				i += 2;
				break;
			}
			case 'dx':
			case 'dy': {
				const n = signedInt(value, where);
				if (!lastCrop) throw bad(where, `${key} after a crop`, value);
				lastCrop[key] = n;
				i += 2;
				break;
			}
			case 'cut': {
				const m = value === undefined ? null : /^(\d+)x(\d+)x(\d+)x(\d+)$/.exec(value);
				if (!m) throw bad(where, 'width x height x dx x dy, e.g. 300x200x10x10', value);
				rule.steps.push({ kind: 'cut', w: int(m[1], where, 1, MAX_SIDE), h: int(m[2], where, 1, MAX_SIDE), dx: int(m[3], where, 0, MAX_SIDE), dy: int(m[4], where, 0, MAX_SIDE) });
				i += 2;
				break;
			}
			case 'scrop': {
				const { w, h } = wxh(value, where);
				if (w === undefined || h === undefined) throw bad(where, 'both width and height, e.g. 300x300', value);
				rule.steps.push({ kind: 'scrop', w, h });
				i += 2;
				break;
			}
			case 'rotate': {
				rule.steps.push({ kind: 'rotate', degrees: int(value, where, 0, 360) });
				i += 2;
				break;
			}
			case 'auto-orient':
				rule.steps.push({ kind: 'auto_orient' });
				i += 1;
				break;
			case 'flip':
				if (value === 'vertical') rule.steps.push({ kind: 'flip' });
				else if (value === 'horizontal') rule.steps.push({ kind: 'flop' });
				else throw bad(where, 'vertical or horizontal', value);
				i += 2;
				break;
			case 'format':
				rule.format = format(value, where);
				i += 2;
				break;
			case 'quality':
			case 'rquality':
			case 'lquality': {
				const m = value === undefined ? null : /^(\d+)!?$/.exec(value);
				if (!m) throw bad(where, 'a quality from 1 to 100 (optionally followed by !)', value);
				rule.quality = int(m[1], where, 1, 100);
				i += 2;
				break;
			}
			case 'interlace':
				if (value !== '0' && value !== '1') throw bad(where, '0 or 1', value);
				i += 2;
				break;
			case 'strip':
				i += 1;
				break;
			case 'ignore-error':
				if (value !== '1') throw bad(where, '1', value);
				rule.ignoreError = true;
				i += 2;
				break;
			case '':
				i += 1;
				break;
			default:
				throw new DarkroomError('invalid_parameter', `${param}: imageMogr2/${key} is not supported (supported: thumbnail, crop, gravity, dx, dy, cut, scrop, rotate, auto-orient, flip, format, quality, rquality, lquality, interlace, strip, ignore-error)`, param);
		}
	}
}

function parseView2(parts: string[], rule: CosRule, param: string): void {
	// The mode may be left out when only format/quality change (seed 003's own example: imageView2/format/png).
	if (parts[0] !== undefined && /^[a-z]/.test(parts[0])) parts = ['2', ...parts];
	const modeText = parts[0];
	if (modeText === undefined || !/^[0-5]$/.test(modeText)) throw bad(`${param} (imageView2 mode)`, 'a mode from 0 to 5 (imageView2/<mode>/w/<W>/h/<H>)', modeText);
	const mode = Number(modeText);
	let w: number | undefined;
	let h: number | undefined;
	for (let i = 1; i < parts.length; ) {
		const key = parts[i];
		const value = parts[i + 1];
		const where = `${param} (imageView2/${key})`;
		if (key === 'w') w = int(value, where, 1, MAX_SIDE);
		else if (key === 'h') h = int(value, where, 1, MAX_SIDE);
		else if (key === 'format') rule.format = format(value, where);
		else if (key === 'q' || key === 'rq' || key === 'lq') {
			const m = value === undefined ? null : /^(\d+)!?$/.exec(value);
			if (!m) throw bad(where, 'a quality from 1 to 100', value);
			rule.quality = int(m[1], where, 1, 100);
		} else if (key === 'ignore-error') {
			if (value !== '1') throw bad(where, '1', value);
			rule.ignoreError = true;
		} else if (key === '') {
			i += 1;
			continue;
		} else throw new DarkroomError('invalid_parameter', `${param}: imageView2/${key} is not supported (supported: w, h, format, q, rq, lq, ignore-error)`, param);
		i += 2;
	}
	if (w === undefined && h === undefined) {
		if (rule.format === undefined && rule.quality === undefined) throw bad(param, 'imageView2 with w and/or h (or at least format/q)', parts.join('/'));
		return;
	}
	switch (mode) {
		case 0:
			rule.steps.push({ kind: 'edges', long: w, short: h, mode: 'at-most' });
			break;
		case 1:
			rule.steps.push({ kind: 'fit', w: w ?? h, h: h ?? w, fit: 'cover' });
			break;
		case 2:
			rule.steps.push({ kind: 'fit', w, h, fit: 'inside' });
			break;
		case 3:
			rule.steps.push({ kind: 'fit', w, h, fit: w !== undefined && h !== undefined ? 'outside' : 'inside' });
			break;
		case 4:
			rule.steps.push({ kind: 'edges', long: w, short: h, mode: 'at-least' });
			break;
		case 5:
			rule.steps.push({ kind: 'edges', long: w ?? h, short: h ?? w, mode: 'crop' });
			break;
	}
}

/** Checks a rule's syntax; throws a 400 naming the part at fault. */
export function parseCosRule(text: unknown, param = 'rule'): CosRule {
	if (typeof text !== 'string' || text.trim() === '') throw bad(param, 'a rule such as "imageMogr2/thumbnail/400x/format/webp" or "style/<name>"', text);
	if (text.length > 4096) throw bad(param, 'a rule of at most 4096 characters', `${text.length} characters`);
	const rule: CosRule = { steps: [], ignoreError: false };
	const body = text.trim().replace(/^\?/, '');
	if (/^ci-process=/i.test(body)) {
		rule.repair = parseCiProcess(body, param);
		return rule;
	}
	for (const segment of body.split('|')) {
		const parts = segment.split('/');
		const head = parts.shift();
		if (head === 'imageMogr2') parseMogr2(parts, rule, param);
		else if (head === 'imageView2') parseView2(parts, rule, param);
		else if (head === 'style') {
			if (parts.length !== 1) throw bad(param, 'style/<name>', segment);
			rule.steps.push({ kind: 'style', name: checkName(parts[0], param) });
		} else
			throw new DarkroomError(
				'invalid_parameter',
				`${param}: "${head}" is not a supported processor (supported: imageMogr2, imageView2, style/<name>; join several with |)`,
				param
			);
	}
	return rule;
}

/** `ci-process=ImageRepair&MaskPic=<base64 URL>&MaskPoly=<base64 JSON>` (seed 002): the mask parameters, checked for presence. */
function parseCiProcess(body: string, param: string): { MaskPic?: string; MaskPoly?: string } {
	const out: { MaskPic?: string; MaskPoly?: string } = {};
	let name = '';
	for (const part of body.split('&')) {
		const eq = part.indexOf('=');
		const k = eq < 0 ? part : part.slice(0, eq);
		let v = eq < 0 ? '' : part.slice(eq + 1);
		try {
			v = decodeURIComponent(v);
		} catch {
			throw bad(`${param} (${k})`, 'a URL-encoded value', v);
		}
		if (k === 'ci-process') name = v;
		else if (k === 'MaskPic' || k === 'MaskPoly') out[k] = v;
		else throw new DarkroomError('invalid_parameter', `${param}: ${k} is not a parameter of ci-process=ImageRepair (MaskPic, MaskPoly)`, param);
	}
	if (name !== 'ImageRepair') throw new DarkroomError('invalid_parameter', `${param}: ci-process=${name} is not supported (supported: ImageRepair)`, param);
	if (!out.MaskPic && !out.MaskPoly) throw new DarkroomError('invalid_parameter', `${param}: ci-process=ImageRepair needs MaskPic (URL-safe base64 of a mask image URL) or MaskPoly (URL-safe base64 of polygons)`, param);
	return out;
}

const round = (v: number) => Math.max(1, Math.round(v));

/**
 * The process request for a parsed rule applied to a width × height image (already
 * EXIF-oriented). `style` returns the steps before it, then the named transformation's
 * request (resolved by the caller through `style`), and the rest after.
 */
export function resolveCosRule(rule: CosRule, width: number, height: number, style: (name: string, w: number, h: number) => ProcessRequestPart = (n) => {
	throw new DarkroomError('not_found', `No named transformation "${n}" for style/${n}`, 'rule');
}): ProcessRequestPart {
	let w = width;
	let h = height;
	const out: ProcessRequestPart = { ops: [] };
	const resize = (params: Record<string, unknown>) => {
		const p = planResize(w, h, params as Parameters<typeof planResize>[2]);
		out.ops.push({ op: 'resize', params });
		w = p.canvasW;
		h = p.canvasH;
	};
	for (const s of rule.steps) {
		if (Number.isNaN(w) && s.kind !== 'flip' && s.kind !== 'flop' && s.kind !== 'auto_orient')
			throw new DarkroomError('invalid_parameter', 'rule: style/<name> must come last, or be followed only by flip and format/quality', 'rule');
		switch (s.kind) {
			case 'scale': {
				const tw = s.px !== undefined ? round((w * s.px) / 100) : w;
				const th = s.py !== undefined ? round((h * s.py) / 100) : h;
				if (tw !== w || th !== h) resize({ width: tw, height: th, fit: 'fill', enlarge: true });
				break;
			}
			case 'fit': {
				const params: Record<string, unknown> = { fit: s.fit, enlarge: s.only !== 'shrink' };
				if (s.w !== undefined) params.width = s.w;
				if (s.h !== undefined) params.height = s.h;
				if (s.only === 'enlarge') {
					// Only when the image is smaller than the box (on the sides given).
					const smaller = (s.w === undefined || w < s.w) && (s.h === undefined || h < s.h);
					if (!smaller) break;
				}
				resize(params);
				break;
			}
			case 'edges': {
				// Long/short edge limits, turned into a width × height box by the image's orientation.
				const landscape = w >= h;
				const bw = landscape ? s.long : s.short;
				const bh = landscape ? s.short : s.long;
				const params: Record<string, unknown> = { enlarge: true, fit: s.mode === 'at-most' ? 'inside' : s.mode === 'at-least' ? 'outside' : 'cover' };
				if (bw !== undefined) params.width = bw;
				if (bh !== undefined) params.height = bh;
				if (s.mode === 'at-least' && (bw === undefined || bh === undefined)) params.fit = 'inside';
				resize(params);
				break;
			}
			case 'area': {
				if (w * h <= s.pixels) break;
				const k = Math.sqrt(s.pixels / (w * h));
				// Floor so the result never exceeds the area.
				const tw = Math.max(1, Math.floor(w * k));
				const th = Math.max(1, Math.floor(h * k));
				resize({ width: tw, height: th, fit: 'fill' });
				break;
			}
			case 'crop': {
				const cw = Math.min(s.w ?? w, w);
				const ch = Math.min(s.h ?? h, h);
				const fx = s.gravity.endsWith('left') ? 0 : s.gravity.endsWith('right') ? 1 : 0.5;
				const fy = s.gravity.startsWith('top') ? 0 : s.gravity.startsWith('bottom') ? 1 : 0.5;
				// dx/dy move away from the gravity's edge (towards the centre for a corner).
				const sx = fx === 1 ? -1 : 1;
				const sy = fy === 1 ? -1 : 1;
				const x = Math.min(Math.max(0, Math.floor((w - cw) * fx) + sx * s.dx), w - cw);
				const y = Math.min(Math.max(0, Math.floor((h - ch) * fy) + sy * s.dy), h - ch);
				if (cw !== w || ch !== h) out.ops.push({ op: 'crop', params: { x, y, width: cw, height: ch } });
				w = cw;
				h = ch;
				break;
			}
			case 'cut': {
				if (s.dx >= w || s.dy >= h) throw new DarkroomError('invalid_parameter', `rule: cut starts at ${s.dx},${s.dy}, outside the ${w}×${h} image`, 'rule');
				const cw = Math.min(s.w, w - s.dx);
				const ch = Math.min(s.h, h - s.dy);
				out.ops.push({ op: 'crop', params: { x: s.dx, y: s.dy, width: cw, height: ch } });
				w = cw;
				h = ch;
				break;
			}
			case 'scrop': {
				out.ops.push({ op: 'smart_crop', params: { aspect: `${s.w}:${s.h}`, width: s.w, height: s.h } });
				w = s.w;
				h = s.h;
				break;
			}
			case 'rotate':
				if (s.degrees % 360 !== 0) {
					out.ops.push({ op: 'rotate', params: { degrees: s.degrees } });
					({ width: w, height: h } = rotatedSize(w, h, s.degrees));
				}
				break;
			case 'auto_orient':
				// Decoding always applies EXIF orientation; nothing more to do.
				break;
			case 'flip':
			case 'flop':
				out.ops.push({ op: s.kind, params: {} });
				break;
			case 'style': {
				const inner = style(s.name, w, h);
				out.ops.push(...inner.ops);
				if (inner.format) out.format = inner.format;
				if (inner.quality !== undefined) out.quality = inner.quality;
				// The size after a named transformation is not tracked here; later size-dependent
				// steps (percentages, edges) would be wrong, so they are refused.
				w = NaN;
				h = NaN;
				break;
			}
		}
	}
	if (rule.format) out.format = rule.format;
	if (rule.quality !== undefined) out.quality = rule.quality;
	return out;
}
