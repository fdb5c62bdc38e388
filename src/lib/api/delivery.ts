/**
 * image.deliver_url and image.signed_url (seed 000): URLs on this origin that the service
 * worker answers by rendering from the library (see src/lib/delivery/). `transform` is the
 * seed's ImageTransform (object), a compact string or `t_<name>`; `rule` (a Darkroom
 * addition) gives a seed 003 style URL on the asset's object key instead.
 */
import { DarkroomError, invalidParam } from './errors';
import { isPlainObject, rejectUnknownKeys } from '../pipeline/validate';
import { recordById } from '../library/db';
import { cdnPath, checkId, cosPath, transformSegment } from '../delivery/urls';
import { checkExpiresIn, signUrl } from '../delivery/sign';
import { signingKey } from '../delivery/keys';
import type { ImageTransform } from '../pipeline/transform';

export interface DeliverUrlRequest {
	image_id: string;
	transform?: ImageTransform | string;
	/** Seed 003 rule on the asset's key, e.g. "imageMogr2/thumbnail/400x/format/webp". */
	rule?: string;
}

export interface DeliveryApi {
	deliver_url(req: DeliverUrlRequest): Promise<{ url: string }>;
	signed_url(req: DeliverUrlRequest & { expires_in_s: number }): Promise<{ url: string; expires_at: string }>;
}

async function pathFor(req: Record<string, unknown>): Promise<string> {
	if (req.image_id === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter image_id', 'image_id');
	const id = checkId(req.image_id);
	if (req.transform !== undefined && req.rule !== undefined) throw new DarkroomError('invalid_parameter', 'Pass transform or rule, not both', 'rule');
	const transform = transformSegment(req.transform as ImageTransform | string | undefined);
	if (req.rule !== undefined && typeof req.rule !== 'string') throw invalidParam('rule', 'a rule string such as "imageMogr2/thumbnail/400x"', req.rule);
	const rec = await recordById(id);
	if (!rec) throw new DarkroomError('not_found', `No asset with id "${id}" in the library`, 'image_id');
	return req.rule !== undefined ? cosPath(rec.key, req.rule as string) : cdnPath(id, transform);
}

function call<T>(work: () => Promise<T>): Promise<T> {
	try {
		return work();
	} catch (e) {
		return Promise.reject(e);
	}
}

export function createDeliveryApi(): DeliveryApi {
	return {
		deliver_url: (raw) =>
			call(async () => {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object { image_id, transform? }', raw);
				rejectUnknownKeys(raw, ['image_id', 'transform', 'rule'], 'image.deliver_url');
				return { url: location.origin + (await pathFor(raw)) };
			}),
		signed_url: (raw) =>
			call(async () => {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object { image_id, expires_in_s, transform? }', raw);
				rejectUnknownKeys(raw, ['image_id', 'expires_in_s', 'transform', 'rule'], 'image.signed_url');
				if (raw.expires_in_s === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter expires_in_s', 'expires_in_s');
				const ttl = checkExpiresIn(raw.expires_in_s);
				const path = await pathFor(raw);
				const { url, exp } = await signUrl(await signingKey(), path, ttl);
				return { url: location.origin + url, expires_at: new Date(exp * 1000).toISOString() };
			})
	};
}
