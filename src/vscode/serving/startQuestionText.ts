// Words of the Start TF Serving questions that depend on what was chosen before, apart from the quick pick so they
// can be checked without an editor. The first start of a model has nothing "last used": it says what each choice
// needs instead (the default CPU is not a choice the user made).
import type { StartChoices } from './startServerCommand';

/** The placeholder of the image question (1/4), from the choices remembered for this model (none on a first start). */
export function deviceQuestionPlaceholder(remembered: Partial<StartChoices>): string {
  if (remembered.device === undefined) return 'CPU runs anywhere; GPU needs an NVIDIA GPU on the Docker host';
  return `Last used: ${remembered.device === 'gpu' ? 'GPU' : 'CPU'}`;
}
