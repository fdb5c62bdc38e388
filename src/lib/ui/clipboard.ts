import type { MessageKey } from '$lib/i18n';
import { darkroom } from './darkroom';
import { toShownError } from './format';

/** Why an image cannot be copied here, or undefined when it can. */
export function clipboardImageSupport(): MessageKey | undefined {
	if (typeof window === 'undefined') return 'copy.unsupported';
	if (!window.isSecureContext) return 'copy.insecure';
	if (typeof ClipboardItem === 'undefined' || !navigator.clipboard?.write) return 'copy.unsupported';
	if (typeof ClipboardItem.supports === 'function' && !ClipboardItem.supports('image/png')) return 'copy.unsupported';
	return undefined;
}

/**
 * Copies a PNG to the clipboard. `png` is a promise so that the clipboard write starts
 * inside the click (Safari requires the user gesture) while the PNG is still being made.
 */
export async function copyPng(png: Promise<Blob>): Promise<void> {
	const typed = png.then((b) => (b.type === 'image/png' ? b : new Blob([b], { type: 'image/png' })));
	await navigator.clipboard.write([new ClipboardItem({ 'image/png': typed })]);
}

export interface CopyOutcome {
	kind: 'ok' | 'error';
	key: MessageKey;
	params?: { reason: string };
}

/**
 * Copies a result image (any format) to the clipboard as PNG, converting through the API
 * off the main thread when needed. Call it from the click handler itself.
 */
export async function copyResultImage(r: { image_url: string; mime: string }): Promise<CopyOutcome> {
	const why = clipboardImageSupport();
	if (why) return { kind: 'error', key: why };
	let tempUrl: string | undefined;
	const png = (async () => {
		const blob = await (await fetch(r.image_url)).blob();
		if (r.mime === 'image/png') return blob;
		// The clipboard only takes PNG: re-encode through the API (off the main thread).
		const converted = await darkroom().image.convert({ image: blob, format: 'png' });
		tempUrl = converted.image_url;
		return await (await fetch(converted.image_url)).blob();
	})();
	try {
		await copyPng(png);
		return { kind: 'ok', key: r.mime === 'image/png' ? 'copy.done' : 'copy.doneConverted' };
	} catch (e) {
		return { kind: 'error', key: 'copy.failed', params: { reason: toShownError(e).message } };
	} finally {
		if (tempUrl) darkroom().release(tempUrl);
	}
}
