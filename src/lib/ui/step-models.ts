import { FEATURE_MODELS } from '$lib/models/uses';
import type { Step } from '$lib/ui/steps';

/**
 * The models a list of toolbox steps will load. The toolbox and the batch page fetch them on
 * the page (with a progress bar) before running, so the work does not stall on a download
 * inside the workers (in a batch, the first items all on the same one).
 */
export function modelsForSteps(steps: readonly Step[]): string[] {
	const ids = new Set<string>();
	for (const s of steps) {
		if (s.kind === 'smart_crop' || s.kind === 'face_blur') FEATURE_MODELS.faces.forEach((m) => ids.add(m));
		if (s.kind === 'background_remove') FEATURE_MODELS.matting.forEach((m) => ids.add(m));
		if (s.kind === 'resize' && s.enlarge && s.ai) FEATURE_MODELS.superres.forEach((m) => ids.add(m));
	}
	return [...ids];
}
