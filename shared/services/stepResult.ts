/** The workers' outcome values live in the domain (the hop's decisions return them); re-exported here. */
export { ignored, requeued, type StepOutcome, type StepResult } from '../domain/stepResult.js';
