// Everything heavy the language features need (yaml, ajv, the Prometheus schema and validator with re2js,
// vscode-languageclient), bundled
// on its own as dist/languageServices.js and required on first use (see loadLanguageServices.ts), so that
// activation never parses it.
export { SchemaContributor, registerWithRedHatYaml } from './schemaContributor';
export { startEmbeddedYamlServer } from './embeddedYamlServer';
export { checkDocument, secretNamesIn } from './tfServingChecks';
export { validatePrometheusConfig } from '../../core/validation/prometheusValidation';
export { localFileHost } from '../../core/validation/prometheus/configFileHost';
export { promtoolReport } from '../../core/validation/prometheus/promtoolVerdict';
