import { dev } from '$app/environment';

/**
 * The service worker makes the app work offline and, on static hosts that cannot
 * send COOP/COEP headers, adds them so WASM threads work after the first load.
 */
export function registerServiceWorker(): void {
	if (dev || !('serviceWorker' in navigator)) return;
	navigator.serviceWorker.register('/service-worker.js').catch((e) => {
		console.warn('Darkroom: service worker registration failed', e);
	});
}
