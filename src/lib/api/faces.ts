/**
 * image.detect_faces (a Darkroom addition): the faces face_blur would blur, as data, so a
 * page can show them and let the user choose before anything is changed. Coordinates are
 * in the oriented image (EXIF orientation applied), the same space face_blur's `regions` use.
 */
import { DarkroomError, invalidParam } from './errors';
import { resolveImageRef } from './refs';
import { isPlainObject } from '../pipeline/validate';
import type { ApiContext } from './context';
import type { DetectFacesResult } from './types';
import type { FacesResult } from '../worker/protocol';

const round = (v: number) => Math.round(v * 10) / 10;

export function createFacesApi(ctx: ApiContext): { detect_faces(req: unknown): Promise<DetectFacesResult> } {
	return {
		detect_faces(raw: unknown) {
			try {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object of parameters for image.detect_faces', raw);
				const req = raw;
				for (const k of Object.keys(req))
					if (!['image', 'input', 'idempotency_key'].includes(k))
						throw new DarkroomError('invalid_parameter', `Unknown parameter ${k} for image.detect_faces (known: image, idempotency_key)`, k);
				if (req.image === undefined && req.input === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter image for image.detect_faces', 'image');
				return ctx.idempotency.run('detect_faces', req.idempotency_key, req, async () => {
					const limits = ctx.limits();
					const { bytes } = await resolveImageRef(req.image ?? req.input, req.image !== undefined ? 'image' : 'input', limits);
					const r = await ctx.pool.run<FacesResult>('detectFaces', [bytes, limits], [bytes.buffer]);
					return {
						width: r.width,
						height: r.height,
						count: r.faces.length,
						faces: r.faces.map((f) => ({
							x: round(f.box.x),
							y: round(f.box.y),
							width: round(f.box.width),
							height: round(f.box.height),
							score: Math.round(f.score * 1000) / 1000,
							keypoints: f.keypoints.map((k) => ({ name: k.name, x: round(k.x), y: round(k.y) }))
						})),
						model: 'blazeface',
						backend: r.backend,
						ms: r.ms
					};
				}) as Promise<DetectFacesResult>;
			} catch (e) {
				return Promise.reject(e);
			}
		}
	};
}
