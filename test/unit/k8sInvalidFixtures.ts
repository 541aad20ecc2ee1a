// What each manifest in test/fixtures/k8s/schema-invalid gets wrong, stated from the file itself (line: problem),
// so the schema tests check the exact finding instead of "at least one".
export const INVALID_FIXTURES: Record<string, readonly (readonly [line: number, message: string])[]> = {
  'annotation-bool.yaml': [[7, 'metadata.annotations.prometheus.io/scrape must be string, not true.']],
  'container-no-name.yaml': [[11, 'Missing required key "name" in spec.template.spec.containers.0.']],
  'container-port-string.yaml': [[13, 'spec.template.spec.containers.0.ports.0.containerPort must be integer, not "8501".']],
  'containers-typo.yaml': [[9, 'Missing required key "containers" in spec.template.spec.'], [10, 'Unknown key "contianers" in spec.template.spec.']],
  'deployment-no-selector.yaml': [[5, 'Missing required key "selector" in spec.']],
  'env-value-number.yaml': [[13, 'spec.template.spec.containers.0.env.0.value must be string, not 4.']],
  'hpa-no-max.yaml': [[5, 'Missing required key "maxReplicas" in spec.']],
  'ingress-backend-typo.yaml': [[12, 'Unknown key "serviceName" in spec.rules.0.http.paths.0.backend.'], [13, 'Unknown key "servicePort" in spec.rules.0.http.paths.0.backend.']],
  'replicas-string.yaml': [[6, 'spec.replicas must be integer, not "2".']],
  'secret-data-map.yaml': [[7, 'data.key must be string, not a map.']],
};
