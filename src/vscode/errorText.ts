// The editor side uses core's wording for failures.
export { errorText } from '../core/errorText';
