import { DarkroomError } from '$lib/api/errors';

/** 1 KB = 1024 bytes, as the size fields (set_kb, target size) count them. */
export function formatBytes(n: number): string {
	if (!Number.isFinite(n)) return '—';
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
	if (n < 1024 ** 3) return `${(n / (1024 * 1024)).toFixed(2)} MB`;
	// Quotas and libraries: gigabytes read better than "10240.07 MB".
	return `${(n / 1024 ** 3).toFixed(n < 10 * 1024 ** 3 ? 2 : 1)} GB`;
}

export function formatPercent(part: number, whole: number): string {
	if (!whole) return '—';
	const p = (part / whole) * 100;
	return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

export function formatSeconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

const EXT: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/avif': 'avif',
	'image/gif': 'gif',
	'image/bmp': 'bmp'
};

export function extensionFor(mime: string): string {
	return EXT[mime] ?? mime.split('/')[1]?.replace(/[^a-z0-9]/gi, '') ?? 'bin';
}

/** `holiday.JPG` + 800×600 webp → `holiday-800x600.webp`. */
export function outputFilename(original: string, mime: string, width: number, height: number, suffix?: string): string {
	const base = (original.replace(/\.[^./\\]+$/, '') || 'image').replace(/[\\/:*?"<>|]+/g, '_');
	return `${base}-${suffix ?? `${width}x${height}`}.${extensionFor(mime)}`;
}

/** What the page shows for any rejection: DarkroomErrors keep code/status/param. */
export interface ShownError {
	message: string;
	code?: string;
	status?: number;
	param?: string;
}

export function toShownError(e: unknown): ShownError {
	if (DarkroomError.is(e)) {
		const out: ShownError = { message: e.message, code: e.code, status: e.status };
		if (e.param) out.param = e.param;
		return out;
	}
	if (e instanceof Error) return { message: e.message || e.name };
	return { message: String(e) };
}

/** A JSON-friendly view of a rejection, for the API console. */
export function errorJSON(e: unknown): Record<string, unknown> {
	if (DarkroomError.is(e)) {
		const o: Record<string, unknown> = { name: 'DarkroomError', code: e.code, status: e.status, message: e.message };
		if (e.param) o.param = e.param;
		return o;
	}
	if (e instanceof Error) return { name: e.name, message: e.message };
	return { name: 'Error', message: String(e) };
}

/** Display values from EXIF (numbers, strings, Dates, arrays) compactly. */
export function formatExifValue(v: unknown): string {
	if (v instanceof Date) return isNaN(v.getTime()) ? '—' : v.toLocaleString();
	if (Array.isArray(v)) return v.map(formatExifValue).join(', ');
	if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
	if (v instanceof Uint8Array) return `${v.length} bytes`;
	// EXIF dates as ISO text: 2017-10-31T20:16:18 → 2017-10-31 20:16:18
	if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v)) return v.replace('T', ' ').replace(/(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/, '');
	if (v && typeof v === 'object') return JSON.stringify(v);
	return String(v ?? '—');
}
