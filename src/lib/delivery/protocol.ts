/** Messages between the service worker (which answers delivery URLs) and a page (which renders). */
export const RENDER_MESSAGE = 'darkroom:render';

export interface RenderRequest {
	type: typeof RENDER_MESSAGE;
	/** Library id of the source asset. */
	id: string;
	/** Oriented size of the source, from its record (rules with percentages need it). */
	width: number;
	height: number;
	/** A compact transform (`w_400,f_webp`, `t_name`) or a seed 003 rule (`imageMogr2/…`). */
	transform?: string;
	rule?: string;
}

export type RenderReply = { ok: true; bytes: ArrayBuffer; mime: string } | { ok: false; status: number; code: string; message: string; param?: string };

/** Cache of rendered delivery URLs (Cache Storage), separate from the app's own files. */
export const DELIVERY_CACHE = 'darkroom-delivery-v1';
