import { DarkroomError, invalidParam } from '../api/errors';
import { OUTPUT_FORMATS, type OutputFormat } from '../codecs/types';

/** Small uniform validators; every message names the parameter, the expectation and what came. */

export function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Blob) && !(v instanceof ArrayBuffer) && !ArrayBuffer.isView(v);
}

export function optionalNumber(v: unknown, param: string, min: number, max: number, expected?: string): number | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
		throw invalidParam(param, expected ?? `number between ${min} and ${max}`, v);
	return v;
}

export function optionalInteger(v: unknown, param: string, min: number, max: number, expected?: string): number | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
		throw invalidParam(param, expected ?? `integer between ${min} and ${max}`, v);
	return v;
}

export function requiredInteger(v: unknown, param: string, min: number, max: number, expected?: string): number {
	if (v === undefined || v === null) throw new DarkroomError('invalid_parameter', `Missing required parameter ${param}`, param);
	return optionalInteger(v, param, min, max, expected)!;
}

export function optionalBoolean(v: unknown, param: string): boolean | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'boolean') throw invalidParam(param, 'boolean', v);
	return v;
}

export function optionalString(v: unknown, param: string, maxLength = 10_000): string | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'string' || v.length > maxLength) throw invalidParam(param, `string of at most ${maxLength} characters`, v);
	return v;
}

export function optionalEnum<T extends string>(v: unknown, param: string, values: readonly T[]): T | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
		throw invalidParam(param, `one of ${values.join(', ')}`, v);
	return v as T;
}

const FORMAT_ALIASES: Record<string, OutputFormat> = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif' };

export function optionalFormat(v: unknown, param = 'format'): OutputFormat | undefined {
	if (v === undefined || v === null) return undefined;
	const f = typeof v === 'string' ? FORMAT_ALIASES[v.toLowerCase()] : undefined;
	if (!f) throw invalidParam(param, `one of ${OUTPUT_FORMATS.join(', ')}`, v);
	return f;
}

/** Rejects keys the call does not know, so a typo like `widht` is an error instead of silently ignored. */
export function rejectUnknownKeys(obj: Record<string, unknown>, known: readonly string[], where: string): void {
	for (const k of Object.keys(obj)) {
		if (!known.includes(k))
			throw new DarkroomError('invalid_parameter', `Unknown parameter ${k} for ${where}; expected one of ${known.join(', ')}`, k);
	}
}
