import { getDarkroom } from '$lib/api';
import type { Darkroom } from '$lib/api/types';

/** The public API, as every page uses it: installed by the layout, or created on demand. */
export function darkroom(): Darkroom {
	if (typeof window !== 'undefined' && window.darkroom) return window.darkroom;
	return getDarkroom();
}
