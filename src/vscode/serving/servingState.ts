// Serving state is editor-independent (the benchmark drives it without VS Code); the views import it from here.
export { ServingState, type ServedModelState } from '../../core/serving/servingState';
