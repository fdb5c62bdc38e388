import type { MessageKey } from '$lib/i18n';

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
