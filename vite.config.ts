/// <reference types="vitest/config" />
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin, type Connect } from 'vite';
import { precacheManifest } from './scripts/vite-precache-manifest.ts';

/**
 * SvelteKit ignores server.headers / preview.headers, so cross-origin isolation
 * (needed for SharedArrayBuffer, i.e. threaded WASM) is added by middleware in
 * both the dev and the preview server.
 */
function crossOriginIsolation(): Plugin {
	const headers: Connect.NextHandleFunction = (_req, res, next) => {
		res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
		res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
		res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
		next();
	};
	return {
		name: 'darkroom:cross-origin-isolation',
		enforce: 'pre',
		configureServer(server) {
			server.middlewares.use(headers);
		},
		configurePreviewServer(server) {
			server.middlewares.use(headers);
		}
	};
}

export default defineConfig({
	plugins: [crossOriginIsolation(), sveltekit(), precacheManifest()],
	worker: { format: 'es' },
	optimizeDeps: {
		// jSquash loads its .wasm with new URL(..., import.meta.url); pre-bundling breaks that.
		exclude: ['@jsquash/jpeg', '@jsquash/png', '@jsquash/webp', '@jsquash/avif', '@jsquash/oxipng', '@jsquash/resize']
	},
	build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000
	}
});
