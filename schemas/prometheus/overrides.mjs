// Facts the reference states in prose rather than in its YAML blocks. Paths are definition.property[.property]
// ("configuration." is the file's top level). Each enum is quoted from the reference's comments.
const protocols = ['PrometheusProto', 'OpenMetricsText0.0.1', 'OpenMetricsText1.0.0', 'PrometheusText0.0.4', 'PrometheusText1.0.0'];
const tlsVersions = ['TLS10', 'TLS11', 'TLS12', 'TLS13'];

export const enums = {
  'configuration.global.scrape_protocols': protocols,
  'scrape_config.scrape_protocols': protocols,
  'scrape_config.fallback_scrape_protocol': protocols,
  'configuration.global.metric_name_validation_scheme': ['', 'utf8', 'legacy'],
  'scrape_config.metric_name_validation_scheme': ['', 'utf8', 'legacy'],
  'scrape_config.metric_name_escaping_scheme': ['', 'allow-utf-8', 'underscores', 'dots', 'values'],
  'configuration.global.metric_name_escaping_scheme': ['', 'allow-utf-8', 'underscores', 'dots', 'values'],
  'oci_sd_config.auth': ['api_key', 'instance_principal'],
  'configuration.otlp.translation_strategy': ['UnderscoreEscapingWithSuffixes', 'NoUTF8EscapingWithSuffixes', 'UnderscoreEscapingWithoutSuffixes', 'NoTranslation'],
  'tls_config.min_version': tlsVersions,
  'tls_config.max_version': tlsVersions,
  'alertmanager_config.api_version': ['v2'],
  'aws_sd_config.role': ['ec2', 'lightsail', 'ecs', 'msk', 'elasticache', 'rds'],
  'digitalocean_sd_config.role': ['droplets', 'databases'],
  'dockerswarm_sd_config.role': ['services', 'tasks', 'nodes'],
  'hetzner_sd_config.role': ['robot', 'hcloud'],
  'kubernetes_sd_config.role': ['endpoints', 'endpointslice', 'service', 'pod', 'node', 'ingress'],
  'kubernetes_sd_config.selectors.role': ['endpoints', 'endpointslice', 'service', 'pod', 'node', 'ingress'],
  'openstack_sd_config.role': ['hypervisor', 'instance', 'loadbalancer'],
  'openstack_sd_config.availability': ['public', 'admin', 'internal'],
  'scaleway_sd_config.role': ['instance', 'baremetal'],
  'triton_sd_config.role': ['container', 'cn'],
  'ovhcloud_sd_config.service': ['vps', 'dedicated_server'],
  'azure_sd_config.authentication_method': ['OAuth', 'ManagedIdentity', 'SDK', 'WorkloadIdentity'],
  'remote_write.azuread.cloud': ['AzurePublic', 'AzureChina', 'AzureGovernment'],
  'remote_write.protobuf_message': ['prometheus.WriteRequest', 'io.prometheus.write.v2.Request'],
  'tracing_config.client_type': ['grpc', 'http'],
  'tracing_config.compression': ['gzip'],
  'tsdb.chunk_encoding.floats': ['xor', 'xor2'],
};

export const required = {
  scrape_config: ['job_name'],
  aws_sd_config: ['role'],
  azure_sd_config: ['subscription_id'],
  docker_sd_config: ['host'],
  dockerswarm_sd_config: ['host', 'role'],
  dns_sd_config: ['names'],
  file_sd_config: ['files'],
  openstack_sd_config: ['role', 'region'],
  ovhcloud_sd_config: ['application_key', 'application_secret', 'consumer_key', 'service'],
  puppetdb_sd_config: ['url', 'query'],
  gce_sd_config: ['project', 'zone'],
  hetzner_sd_config: ['role'],
  http_sd_config: ['url'],
  ionos_sd_config: ['datacenter_id'],
  kubernetes_sd_config: ['role'],
  'kubernetes_sd_config.selectors': ['role'],
  kuma_sd_config: ['server'],
  marathon_sd_config: ['servers'],
  nerve_sd_config: ['servers', 'paths'],
  serverset_sd_config: ['servers', 'paths'],
  stackit_sd_config: ['project'],
  triton_sd_config: ['account', 'dns_suffix', 'endpoint'],
  eureka_sd_config: ['server'],
  scaleway_sd_config: ['project_id', 'role'],
  uyuni_sd_config: ['server'],
  outscale_sd_config: ['region'],
  tracing_config: ['endpoint'],
  remote_write: ['url'],
  remote_read: ['url'],
};

// "At most one of" groups, from the reference's "mutually exclusive" notes and Prometheus' own checks (a key
// counts as set when its value is not empty).
export const exclusive = {
  http_config: [['basic_auth', 'authorization', 'oauth2', 'bearer_token', 'bearer_token_file']],
  'http_config.basic_auth': [['username', 'username_file'], ['password', 'password_file']],
  'http_config.authorization': [['credentials', 'credentials_file']],
  tls_config: [['ca', 'ca_file'], ['cert', 'cert_file'], ['key', 'key_file']],
  oauth2: [['client_secret', 'client_secret_file'], ['client_certificate_key', 'client_certificate_key_file']],
  kubernetes_sd_config: [['api_server', 'kubeconfig_file']],
  scaleway_sd_config: [['secret_key', 'secret_key_file']],
  outscale_sd_config: [['secret_key', 'secret_key_file']],
  marathon_sd_config: [['auth_token', 'auth_token_file', 'basic_auth', 'authorization', 'bearer_token', 'bearer_token_file']],
  remote_write: [['sigv4', 'azuread', 'google_iam', 'basic_auth', 'authorization', 'oauth2']],
  alertmanager_config: [['sigv4', 'basic_auth', 'authorization', 'oauth2']],
};

// "Exactly one of" groups: Prometheus refuses the section when none of them is set.
export const oneRequired = {
  scaleway_sd_config: [['secret_key', 'secret_key_file']],
  outscale_sd_config: [['secret_key', 'secret_key_file']],
};

// Deprecated but still accepted by Prometheus 3 (prometheus/common's HTTP client config keeps them), and very
// common in Kubernetes examples; the reference no longer lists them, so add them to avoid false errors.
export const extraProperties = {
  // Read by Prometheus 3 (config.go) though the reference's global block does not list it.
  'configuration.global': {
    metric_name_escaping_scheme: { $ref: '#/definitions/string', description: 'How metric and label names are escaped when the scrape does not negotiate UTF-8: allow-utf-8, underscores, dots or values. Default: allow-utf-8, or underscores under legacy name validation.' },
  },
  http_config: {
    bearer_token: { $ref: '#/definitions/secret', description: 'Deprecated: use authorization.credentials. Sets the Authorization header to "Bearer <token>".' },
    bearer_token_file: { $ref: '#/definitions/filename', description: 'Deprecated: use authorization.credentials_file. Reads the bearer token from this file.' },
  },
};

export const typeOverrides = {
  // The reference says <uint>; Prometheus 3 reads a float (0.5 is half a percent).
  'tsdb.retention.percentage': { $ref: '#/definitions/float' },
  // Target lists take host:port strings; an empty entry is still a string.
  'static_config.targets': { type: 'array', items: { $ref: '#/definitions/string' } },
};
