import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// DARKROOM_KIT_DIR / DARKROOM_BUILD_DIR let several builds (e.g. parallel test runs) live side by side.
		outDir: process.env.DARKROOM_KIT_DIR ?? '.svelte-kit',
		adapter: adapter({
			pages: process.env.DARKROOM_BUILD_DIR ?? 'build',
			assets: process.env.DARKROOM_BUILD_DIR ?? 'build',
			fallback: '404.html',
			strict: true
		}),
		// Registration is done by hand in +layout.svelte so it can be skipped in dev.
		serviceWorker: { register: false }
	}
};
export default config;
