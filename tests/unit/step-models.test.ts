import { describe, expect, it } from 'vitest';
import { FEATURE_MODELS } from '$lib/models/uses';
import { createStep, type Step } from '$lib/ui/steps';
import { modelsForSteps } from '$lib/ui/step-models';

// The toolbox and the batch page fetch these before running: a step left out here would
// stall its first run on a download inside the workers, one too many wastes a download.
describe('modelsForSteps', () => {
	it('asks for nothing when no step runs a model', () => {
		const steps: Step[] = (['resize', 'crop', 'rotate', 'flip', 'watermark', 'compress'] as const).map((k) => createStep(k));
		expect(modelsForSteps(steps)).toEqual([]);
	});

	it('asks for the face detectors for smart crop and face blur, once', () => {
		expect(modelsForSteps([createStep('smart_crop'), createStep('face_blur')])).toEqual([...FEATURE_MODELS.faces]);
	});

	it('asks for the matting model for background removal', () => {
		expect(modelsForSteps([createStep('background_remove')])).toEqual([...FEATURE_MODELS.matting]);
	});

	it('asks for the upscalers only for an AI enlargement', () => {
		const resize = createStep('resize');
		if (resize.kind !== 'resize') throw new Error('expected a resize step');
		expect(modelsForSteps([{ ...resize, enlarge: true, ai: false }])).toEqual([]);
		expect(modelsForSteps([{ ...resize, enlarge: false, ai: true }])).toEqual([]);
		expect(modelsForSteps([{ ...resize, enlarge: true, ai: true }])).toEqual([...FEATURE_MODELS.superres]);
	});

	it('joins the models of several steps without repeats', () => {
		const got = modelsForSteps([createStep('face_blur'), createStep('background_remove'), createStep('smart_crop')]);
		expect(got).toEqual([...FEATURE_MODELS.faces, ...FEATURE_MODELS.matting]);
	});
});
