/**
 * image.tag and image.moderate (seed 000): what is in a picture, and whether it is safe.
 * Parameters are validated synchronously, before any bytes are read; the work runs in a
 * pool worker (src/lib/features/tag, src/lib/features/moderate), models load on first use.
 */
import type { ApiContext } from './context';
import { resolveImageRef } from './refs';
import { DarkroomError } from './errors';
import { validateTagParams } from '../features/tag/params';
import { validateModerateParams } from '../features/moderate/verdict';
import type { TagResult } from '../features/tag/types';
import type { ModerateResult } from '../features/moderate/types';

export type { Tag, TagResult, TagSource, TagBox } from '../features/tag/types';
export type { ModerateResult } from '../features/moderate/types';

export interface AnalysisApi {
	tag(req: unknown): Promise<TagResult>;
	moderate(req: unknown): Promise<ModerateResult>;
}

function imageOf(req: Record<string, unknown>, method: string): { ref: unknown; param: string } {
	if (req.image === undefined && req.input === undefined) throw new DarkroomError('invalid_parameter', `Missing required parameter image for image.${method}`, 'image');
	return req.image !== undefined ? { ref: req.image, param: 'image' } : { ref: req.input, param: 'input' };
}

export function createAnalysisApi(ctx: ApiContext): AnalysisApi {
	return {
		tag(raw) {
			try {
				const params = validateTagParams(raw);
				const req = raw as Record<string, unknown>;
				const { ref, param } = imageOf(req, 'tag');
				return ctx.idempotency.run('tag', req.idempotency_key, req, async () => {
					const limits = ctx.limits();
					const { bytes } = await resolveImageRef(ref, param, limits);
					return ctx.pool.run<TagResult>('tag', [{ bytes, limits, params }], [bytes.buffer]);
				});
			} catch (e) {
				return Promise.reject(e);
			}
		},
		moderate(raw) {
			try {
				const params = validateModerateParams(raw);
				const req = raw as Record<string, unknown>;
				const { ref, param } = imageOf(req, 'moderate');
				return ctx.idempotency.run('moderate', req.idempotency_key, req, async () => {
					const limits = ctx.limits();
					const { bytes } = await resolveImageRef(ref, param, limits);
					return ctx.pool.run<ModerateResult>('moderate', [{ bytes, limits, params }], [bytes.buffer]);
				});
			} catch (e) {
				return Promise.reject(e);
			}
		}
	};
}
