import type { Darkroom } from '$lib/api/types';
declare global {
	namespace App {}
	interface Window {
		darkroom: Darkroom;
	}
}
export {};
