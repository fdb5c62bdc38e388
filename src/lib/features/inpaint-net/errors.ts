/**
 * Errors about a user-supplied inpainting network. Each is a DarkroomError (English message,
 * naming the parameter) that also carries a `reason` and its values, so the settings page can
 * show the same failure in the user's language.
 */
import { DarkroomError, type ErrorCode } from '../../api/errors';

export type InpainterProblem =
	| 'hash_mismatch' // the bytes do not hash to the sha256 the user gave
	| 'bad_hash' // sha256 is not 64 hex digits
	| 'not_onnx' // ONNX Runtime cannot load the bytes as a model
	| 'wrong_signature' // an ONNX model, but not MI-GAN pipeline v2 nor LaMa
	| 'fetch_failed' // the URL could not be fetched
	| 'too_large'
	| 'empty'
	| 'none_installed'; // engine 'network' (or a repair) with no network added

export class InpainterError extends DarkroomError {
	readonly reason: InpainterProblem;
	readonly values: Record<string, string | number>;
	constructor(code: ErrorCode, reason: InpainterProblem, message: string, param: string | undefined, values: Record<string, string | number> = {}) {
		super(code, message, param);
		this.reason = reason;
		this.values = values;
	}
}

/** The reason of an InpainterError (also of one rebuilt from plain data), else undefined. */
export function inpainterProblem(e: unknown): { reason: InpainterProblem; values: Record<string, string | number> } | undefined {
	if (!e || typeof e !== 'object' || typeof (e as { reason?: unknown }).reason !== 'string') return undefined;
	const { reason, values } = e as { reason: InpainterProblem; values?: Record<string, string | number> };
	return { reason, values: values ?? {} };
}

/** What the two accepted signatures are, for messages. */
export const EXPECTED_SIGNATURES =
	'an inpainting network with inputs image uint8 [1,3,H,W] and mask uint8 [1,1,H,W] (MI-GAN pipeline v2, output uint8 [1,3,H,W]) or image float32 [1,3,512,512] and mask float32 [1,1,512,512] (LaMa, output [1,3,512,512])';
