/**
 * The transformation editor's form as text fields, and its two-way mapping to the compact
 * string (`w_400,h_300,c_cover,f_webp,q_80`). The grammar itself lives in
 * pipeline/transform.ts; this only adds per-field messages the page can translate, so a
 * half-typed width says "Enter a whole number" beside the field rather than failing the
 * whole string.
 */
import type { Message } from '$lib/i18n';
import type { OutputFormat } from '$lib/codecs/types';
import { parseTransformString, transformToString, type ImageTransform } from '$lib/pipeline/transform';
import { normalizeGravity, type Anchor } from '$lib/core/geometry';
import { checkNumber, parseNumber } from '$lib/ui/steps';

export interface TransformFields {
	width: string;
	height: string;
	/** '' = the default (cover with both sides, else inside) */
	fit: string;
	gravity: string;
	/** hex without or with #, or "transparent"; '' = none */
	background: string;
	enlarge: boolean;
	format: string;
	quality: string;
	rotate: string;
	flip: boolean;
	flop: boolean;
}

export const FORM_FITS = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;
/** The compact grammar's own spellings (g_north_east), so the string reads as typed. */
export const FORM_GRAVITIES = ['center', 'north', 'south', 'east', 'west', 'north_east', 'north_west', 'south_east', 'south_west'] as const;
/** Any accepted spelling (top-left, northwest, …) shows as the form's option for it. */
const COMPASS: Record<Anchor, (typeof FORM_GRAVITIES)[number]> = {
	center: 'center',
	top: 'north',
	bottom: 'south',
	left: 'west',
	right: 'east',
	'top-left': 'north_west',
	'top-right': 'north_east',
	'bottom-left': 'south_west',
	'bottom-right': 'south_east'
};
export const FORM_FORMATS = ['jpeg', 'png', 'webp', 'avif'] as const;

export const emptyFields = (): TransformFields => ({
	width: '',
	height: '',
	fit: '',
	gravity: '',
	background: '',
	enlarge: false,
	format: '',
	quality: '',
	rotate: '',
	flip: false,
	flop: false
});

const BG_RE = /^(#?([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})|transparent)$/i;

/** The transform the fields describe, or the messages of the fields that are wrong. */
export function fieldsToTransform(f: TransformFields): { transform?: ImageTransform; errors: Record<string, Message> } {
	const errors: Record<string, Message> = {};
	const size = { integer: true, min: 1, max: 65535 };
	for (const k of ['width', 'height'] as const) {
		const m = checkNumber(f[k], size);
		if (m) errors[k] = m;
	}
	const q = checkNumber(f.quality, { integer: true, min: 1, max: 100 });
	if (q) errors.quality = q;
	const r = checkNumber(f.rotate, { min: -360, max: 360 });
	if (r) errors.rotate = r;
	if (f.background.trim() && !BG_RE.test(f.background.trim())) errors.background = { key: 'validate.color' };
	if (Object.keys(errors).length) return { errors };
	const t: ImageTransform = {};
	const num = (s: string) => parseNumber(s);
	if (num(f.width) !== undefined) t.width = num(f.width);
	if (num(f.height) !== undefined) t.height = num(f.height);
	if (f.fit) t.fit = f.fit;
	if (f.gravity) t.gravity = f.gravity;
	if (f.background.trim()) {
		const b = f.background.trim();
		t.background = b.toLowerCase() === 'transparent' ? 'transparent' : b.startsWith('#') ? b : `#${b}`;
	}
	if (f.enlarge) t.enlarge = true;
	if (num(f.rotate)) t.rotate = num(f.rotate);
	if (f.flip) t.flip = true;
	if (f.flop) t.flop = true;
	if (f.format) t.format = f.format as OutputFormat;
	if (num(f.quality) !== undefined) t.quality = num(f.quality);
	return { transform: t, errors };
}

/** The fields for a transform (what the compact string parsed into). */
export function transformToFields(t: ImageTransform): TransformFields {
	return {
		width: t.width !== undefined ? String(t.width) : '',
		height: t.height !== undefined ? String(t.height) : '',
		fit: t.fit ?? '',
		gravity: t.gravity ? COMPASS[normalizeGravity(t.gravity)] : '',
		background: t.background ? t.background.replace(/^#/, '') : '',
		enlarge: t.enlarge === true,
		format: t.format ?? '',
		quality: t.quality !== undefined ? String(t.quality) : '',
		rotate: t.rotate !== undefined ? String(t.rotate) : '',
		flip: !!t.flip,
		flop: !!t.flop
	};
}

export function fieldsToCompact(f: TransformFields): string | undefined {
	const { transform } = fieldsToTransform(f);
	return transform ? transformToString(transform) : undefined;
}

/**
 * Parses typed compact text into fields. A `t_<name>` reference has no fields of its own
 * (it stands for another transformation), so it is reported as `named` for the page to show.
 * Throws the grammar's DarkroomError (naming the part at fault) when the text is wrong.
 */
export function compactToFields(s: string): { fields: TransformFields; named?: string } {
	const parsed = parseTransformString(s);
	const { named, ...rest } = parsed;
	return { fields: transformToFields(rest), ...(named ? { named } : {}) };
}

/** How a stored transform reads in the list: its compact string, or JSON when it has ops. */
export function compactOf(transform: unknown): string {
	if (typeof transform === 'string') return transform;
	try {
		return transformToString(transform as ImageTransform);
	} catch {
		return JSON.stringify(transform);
	}
}

/** Whether a stored transform can be edited with the form (ops have no form). */
export function editableInForm(transform: unknown): boolean {
	return typeof transform === 'string' || !(transform as ImageTransform).ops?.length;
}
