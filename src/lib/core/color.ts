import { invalidParam } from '../api/errors';
import type { RGBA } from './image';

export const TRANSPARENT: RGBA = [0, 0, 0, 0];

/** CSS named colours people actually type into an API call; the full CSS list is not worth its weight. */
const NAMED: Record<string, RGBA> = {
	transparent: [0, 0, 0, 0],
	white: [255, 255, 255, 255],
	black: [0, 0, 0, 255],
	red: [255, 0, 0, 255],
	green: [0, 128, 0, 255],
	lime: [0, 255, 0, 255],
	blue: [0, 0, 255, 255],
	navy: [0, 0, 128, 255],
	gray: [128, 128, 128, 255],
	grey: [128, 128, 128, 255],
	silver: [192, 192, 192, 255],
	yellow: [255, 255, 0, 255],
	orange: [255, 165, 0, 255],
	purple: [128, 0, 128, 255],
	magenta: [255, 0, 255, 255],
	fuchsia: [255, 0, 255, 255],
	cyan: [0, 255, 255, 255],
	aqua: [0, 255, 255, 255],
	maroon: [128, 0, 0, 255],
	olive: [128, 128, 0, 255],
	teal: [0, 128, 128, 255],
	pink: [255, 192, 203, 255],
	brown: [165, 42, 42, 255]
};

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

const EXPECTED = 'a colour such as "#ffffff", "ffffff" or "transparent"';

/**
 * Parses '#rgb', '#rgba', '#rrggbb', '#rrggbbaa' (the '#' optional, as the seed APIs
 * send both), 'transparent' and a few CSS names into straight (non-premultiplied) RGBA.
 * `param` names the parameter in the error message.
 */
export function parseColor(input: string, param: string): RGBA {
	if (typeof input !== 'string') throw invalidParam(param, EXPECTED, input);
	const s = input.trim().toLowerCase();
	const named = NAMED[s];
	if (named) return [named[0], named[1], named[2], named[3]];
	const m = HEX.exec(s);
	if (!m) throw invalidParam(param, EXPECTED, input);
	let hex = m[1];
	if (hex.length <= 4) hex = hex.replace(/./g, (c) => c + c);
	const r = parseInt(hex.slice(0, 2), 16);
	const g = parseInt(hex.slice(2, 4), 16);
	const b = parseInt(hex.slice(4, 6), 16);
	const a = hex.length === 8 ? parseInt(hex.slice(6, 8), 16) : 255;
	return [r, g, b, a];
}

/** '#rrggbbaa' (or '#rrggbb' when opaque): the canonical form echoed back in responses and UI. */
export function formatColor(c: RGBA): string {
	const h = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
	return '#' + h(c[0]) + h(c[1]) + h(c[2]) + (c[3] === 255 ? '' : h(c[3]));
}
