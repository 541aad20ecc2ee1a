// Picks the JSON Schema for one YAML document by apiVersion + kind. Kinds we have no schema for (CRDs, other
// built-ins) get none, so they never see false errors.
import configMap from '../../../schemas/kubernetes/configmap-v1.json';
import deployment from '../../../schemas/kubernetes/deployment-apps-v1.json';
import hpa from '../../../schemas/kubernetes/horizontalpodautoscaler-autoscaling-v2.json';
import ingress from '../../../schemas/kubernetes/ingress-networking-k8s-io-v1.json';
import namespace from '../../../schemas/kubernetes/namespace-v1.json';
import pdb from '../../../schemas/kubernetes/poddisruptionbudget-policy-v1.json';
import secret from '../../../schemas/kubernetes/secret-v1.json';
import service from '../../../schemas/kubernetes/service-v1.json';
import serviceAccount from '../../../schemas/kubernetes/serviceaccount-v1.json';

const byKey = new Map<string, object>([
  ['apps/v1 Deployment', deployment],
  ['v1 Service', service],
  ['v1 Secret', secret],
  ['v1 ConfigMap', configMap],
  ['autoscaling/v2 HorizontalPodAutoscaler', hpa],
  ['networking.k8s.io/v1 Ingress', ingress],
  ['policy/v1 PodDisruptionBudget', pdb],
  ['v1 ServiceAccount', serviceAccount],
  ['v1 Namespace', namespace],
]);

export function kubernetesSchemaFor(apiVersion: unknown, kind: unknown): object | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  return byKey.get(`${apiVersion} ${kind}`);
}

/** The kinds with a schema, as "apiVersion kind". */
export const kubernetesSchemaKinds: readonly string[] = [...byKey.keys()];
