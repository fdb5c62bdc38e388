/**
 * The one error type of the public API. `status` is the HTTP status the cloud API
 * would have answered; `code` is a stable machine-readable name.
 */
export type ErrorCode =
	| 'invalid_parameter' // 400: a parameter is missing, of the wrong type or out of range
	| 'invalid_image' // 400: bytes that claim to be an image but are truncated/corrupt/empty
	| 'forbidden' // 403: a signed URL whose signature is missing, wrong or expired
	| 'not_found' // 404: an asset, job or transformation id that does not exist
	| 'too_large' // 413: over the configured byte or pixel limits
	| 'unsupported_format' // 415: not a raster format Darkroom reads (HTML, SVG, HEIC, PDF, ...)
	| 'unprocessable' // 422: valid request that cannot be satisfied (e.g. target_bytes unreachable)
	| 'internal' // 500: a bug or a crashed worker
	| 'not_implemented'; // 501: a call that a later release implements

const STATUS: Record<ErrorCode, number> = {
	invalid_parameter: 400,
	invalid_image: 400,
	forbidden: 403,
	not_found: 404,
	too_large: 413,
	unsupported_format: 415,
	unprocessable: 422,
	internal: 500,
	not_implemented: 501
};

export interface DarkroomErrorJSON {
	name: 'DarkroomError';
	code: ErrorCode;
	status: number;
	message: string;
	param?: string;
}

export class DarkroomError extends Error {
	readonly code: ErrorCode;
	readonly status: number;
	readonly param?: string;
	constructor(code: ErrorCode, message: string, param?: string) {
		super(message);
		this.name = 'DarkroomError';
		this.code = code;
		this.status = STATUS[code];
		if (param !== undefined) this.param = param;
	}
	toJSON(): DarkroomErrorJSON {
		const o: DarkroomErrorJSON = { name: 'DarkroomError', code: this.code, status: this.status, message: this.message };
		if (this.param !== undefined) o.param = this.param;
		return o;
	}
	static fromJSON(j: DarkroomErrorJSON): DarkroomError {
		return new DarkroomError(j.code, j.message, j.param);
	}
	static is(e: unknown): e is DarkroomError {
		return e instanceof DarkroomError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'DarkroomError' && typeof (e as { code?: unknown }).code === 'string');
	}
}

/** Describes a received value for messages: `-1 of type number`, `"abc" of type string`. */
export function describe(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (value === null) return 'null';
	if (Array.isArray(value)) return `an array of length ${value.length}`;
	if (typeof value === 'string') return `${JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value)} of type string`;
	if (typeof value === 'object') return `an object of type ${(value as object).constructor?.name ?? 'Object'}`;
	return `${String(value)} of type ${typeof value}`;
}

/** `Expected positive integer for width but received -1 of type number` (sharp's manner). */
export function invalidParam(param: string, expected: string, value: unknown): DarkroomError {
	return new DarkroomError('invalid_parameter', `Expected ${expected} for ${param} but received ${describe(value)}`, param);
}
