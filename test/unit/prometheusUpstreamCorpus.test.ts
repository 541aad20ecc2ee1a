// Prometheus' own conformance corpus (config/testdata of prometheus/prometheus, Apache-2.0, see
// test/fixtures/prometheus-corpus/NOTICE.md): every `*.good.yml` must load without an error, and at least 90 % of
// the `*.bad.yml` files must be refused with an error on the line of the mistake (the line of the offending key,
// as read from each file and config_test.go's expected error). The measured figure is printed, so a regression in
// either direction shows.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatePrometheusConfig } from '../../src/core/validation/prometheusValidation';
import { localFileHost } from '../../src/core/validation/prometheus/configFileHost';

const testdata = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'prometheus-corpus', 'testdata');

/** Bad file → the 1-based line its mistake is on. */
const mistakeLine: Record<string, number> = {
  'azure_authentication_method.bad.yml': 3,
  'azure_bearertoken_basicauth.bad.yml': 8,
  'azure_client_id_missing.bad.yml': 6,
  'azure_client_secret_missing.bad.yml': 7,
  'azure_subscription_id_missing.bad.yml': 4,
  'azure_tenant_id_missing.bad.yml': 5,
  'bearertoken.bad.yml': 5,
  'bearertoken_basicauth.bad.yml': 4,
  'dropequal.bad.yml': 5,
  'dropequal1.bad.yml': 6,
  'ec2_filters_empty_values.bad.yml': 8,
  'ec2_token_file.bad.yml': 6,
  'empty_alert_relabel_config.bad.yml': 3,
  'empty_alertmanager_relabel_config.bad.yml': 4,
  'empty_metric_relabel_config.bad.yml': 4,
  'empty_rr_config.bad.yml': 2,
  'empty_rw_config.bad.yml': 2,
  'empty_rw_relabel_config.bad.yml': 4,
  'empty_scrape_config.bad.yml': 2,
  'empty_scrape_config_action.bad.yml': 4,
  'empty_static_config.bad.yml': 4,
  'empty_target_relabel_config.bad.yml': 4,
  'eureka_invalid_server.bad.yml': 4,
  'eureka_no_server.bad.yml': 4,
  'hetzner_role.bad.yml': 3,
  'http_token_file.bad.yml': 6,
  'http_url_bad_scheme.bad.yml': 3,
  'http_url_no_host.bad.yml': 3,
  'http_url_no_scheme.bad.yml': 3,
  'ionos_datacenter.bad.yml': 3,
  'jobname.bad.yml': 2,
  'jobname_dup.bad.yml': 7,
  'keepequal.bad.yml': 5,
  'keepequal1.bad.yml': 6,
  'kubernetes_api_server_with_own_namespace.bad.yml': 7,
  'kubernetes_authorization_basicauth.bad.yml': 8,
  'kubernetes_bearertoken.bad.yml': 9,
  'kubernetes_bearertoken_basicauth.bad.yml': 8,
  'kubernetes_http_config_without_api_server.bad.yml': 5,
  'kubernetes_kubeconfig_with_apiserver.bad.yml': 6,
  'kubernetes_kubeconfig_with_http_config.bad.yml': 6,
  'kubernetes_kubeconfig_with_own_namespace.bad.yml': 7,
  'kubernetes_namespace_discovery.bad.yml': 6,
  'kubernetes_role.bad.yml': 4,
  'kubernetes_selectors_duplicated_role.bad.yml': 9,
  'kubernetes_selectors_endpoints.bad.yml': 6,
  'kubernetes_selectors_incorrect_selector.bad.yml': 7,
  'kubernetes_selectors_ingress.bad.yml': 6,
  'kubernetes_selectors_node.bad.yml': 6,
  'kubernetes_selectors_pod.bad.yml': 9,
  'kubernetes_selectors_service.bad.yml': 6,
  'labeldrop.bad.yml': 4,
  'labeldrop2.bad.yml': 4,
  'labeldrop3.bad.yml': 4,
  'labeldrop4.bad.yml': 4,
  'labeldrop5.bad.yml': 4,
  'labelkeep.bad.yml': 4,
  'labelkeep2.bad.yml': 4,
  'labelkeep3.bad.yml': 4,
  'labelkeep4.bad.yml': 4,
  'labelkeep5.bad.yml': 4,
  'labelmap.bad.yml': 5,
  'labelname.bad.yml': 3,
  'labelvalue.bad.yml': 3,
  'lightsail_token_file.bad.yml': 6,
  'lowercase.bad.yml': 6,
  'lowercase3.bad.yml': 7,
  'marathon_authtoken_authorization.bad.yml': 9,
  'marathon_authtoken_authtokenfile.bad.yml': 9,
  'marathon_authtoken_basicauth.bad.yml': 9,
  'marathon_authtoken_bearertoken.bad.yml': 9,
  'marathon_no_servers.bad.yml': 9,
  'metric_name_validation_scheme.bad.yml': 2,
  'modulus_missing.bad.yml': 5,
  'oci_authentication_method.bad.yml': 3,
  'openstack_availability.bad.yml': 3,
  'openstack_role.bad.yml': 3,
  'otlp_allow_utf8.bad.yml': 4,
  'otlp_ignore_resource_attributes_without_promote_all.bad.yml': 2,
  'otlp_promote_all_resource_attributes.bad.yml': 3,
  'otlp_sanitize_ignore_resource_attributes.bad.yml': 3,
  'otlp_sanitize_promote_resource_attributes.bad.yml': 2,
  'outscale_no_region.bad.yml': 4,
  'outscale_no_secret.bad.yml': 4,
  'outscale_two_secrets.bad.yml': 7,
  'ovhcloud_bad_service.bad.yml': 3,
  'ovhcloud_no_secret.bad.yml': 3,
  'puppetdb_bad_url.bad.yml': 3,
  'puppetdb_no_query.bad.yml': 3,
  'puppetdb_no_scheme.bad.yml': 3,
  'puppetdb_no_url.bad.yml': 3,
  'puppetdb_token_file.bad.yml': 7,
  'regex.bad.yml': 4,
  'remote_read_dup.bad.yml': 5,
  'remote_read_header.bad.yml': 5,
  'remote_read_url_missing.bad.yml': 2,
  'remote_write_authorization_header.bad.yml': 5,
  'remote_write_dup.bad.yml': 5,
  'remote_write_header.bad.yml': 5,
  'remote_write_queue_capacity_zero.bad.yml': 4,
  'remote_write_queue_max_backoff_less_than_min.bad.yml': 5,
  'remote_write_queue_max_samples_per_send_zero.bad.yml': 4,
  'remote_write_queue_max_shards_zero.bad.yml': 4,
  'remote_write_queue_min_shards_greater_than_max.bad.yml': 4,
  'remote_write_queue_min_shards_zero.bad.yml': 4,
  'remote_write_url_missing.bad.yml': 2,
  'remote_write_wrong_msg.bad.yml': 3,
  'rules.bad.yml': 3,
  'scaleway_no_secret.bad.yml': 3,
  'scaleway_role.bad.yml': 3,
  'scaleway_two_secrets.bad.yml': 6,
  'scrape_body_size_limit.bad.yml': 3,
  'scrape_config_files.bad.yml': 4,
  'scrape_config_files_double_import.bad.yml': 3,
  'scrape_config_files_duplicate.bad.yml': 2,
  'scrape_config_files_fallback_scrape_protocol1.bad.yml': 3,
  'scrape_config_files_fallback_scrape_protocol2.bad.yml': 3,
  'scrape_config_files_glob.bad.yml': 2,
  'scrape_config_files_global.bad.yml': 2,
  'scrape_config_files_global_duplicate.bad.yml': 6,
  'scrape_config_files_scrape_protocols.bad.yml': 3,
  'scrape_config_files_scrape_protocols2.bad.yml': 3,
  'scrape_config_utf8_conflicting.bad.yml': 3,
  'scrape_interval.bad.yml': 4,
  'section_key_dup.bad.yml': 4,
  'stackit_endpoint.bad.yml': 4,
  'static_config.bad.yml': 1,
  'target_label_hashmod_missing.bad.yml': 6,
  'target_label_missing.bad.yml': 4,
  'tracing_invalid_authorization_header.bad.yml': 5,
  'tracing_invalid_compression.bad.yml': 4,
  'tracing_invalid_header.bad.yml': 5,
  'tracing_missing_endpoint.bad.yml': 1,
  'tsdb_chunk_encoding_floats.bad.yml': 4,
  'tsdb_chunk_encoding_floats_wrong_case.bad.yml': 4,
  'tsdb_chunk_encoding_floats_wrong_case_xor2.bad.yml': 4,
  'tsdb_retention_percentage.bad.yml': 4,
  'tsdb_retention_percentage_negative.bad.yml': 4,
  'tsdb_retention_size.bad.yml': 4,
  'tsdb_retention_time.bad.yml': 4,
  'unknown_attr.bad.yml': 19,
  'unknown_global_attr.bad.yml': 2,
  'uppercase.bad.yml': 4,
  'uppercase3.bad.yml': 7,
  'url_in_targetgroup.bad.yml': 5,
  'uyuni_no_server.bad.yml': 4,
  'uyuni_token_file.bad.yml': 8,
};

const check = (dir: string, name: string) => {
  const path = join(testdata, dir, name);
  return validatePrometheusConfig(name, readFileSync(path, 'utf8'), { host: localFileHost, absolutePath: path });
};

describe('Prometheus conformance corpus (config/testdata)', () => {
  const good = [...readdirSync(testdata).filter((f) => f.endsWith('.good.yml')).map((f) => ['', f]), ...readdirSync(join(testdata, 'scrape_configs')).filter((f) => f.endsWith('.good.yml')).map((f) => ['scrape_configs', f])];
  const bad = readdirSync(testdata).filter((f) => f.endsWith('.bad.yml')).sort();

  it('has the whole corpus', () => {
    assert.ok(good.length >= 56, `good files: ${good.length}`);
    assert.ok(bad.length >= 147, `bad files: ${bad.length}`);
    assert.deepEqual(bad.filter((f) => !(f in mistakeLine)), [], 'every bad file has its expected line');
  });

  it('accepts every good file', () => {
    const refused = good.flatMap(([dir, f]) => check(dir, f).filter((x) => x.severity === 'error').map((x) => `${dir ? `${dir}/` : ''}${f}:${x.range.start.line + 1}: ${x.message}`));
    assert.deepEqual(refused, []);
  });

  it('refuses at least 90 % of the bad files, each with an error on the line of the mistake', () => {
    let refused = 0;
    const wrongLine: string[] = [];
    for (const f of bad) {
      const errors = check('', f).filter((x) => x.severity === 'error');
      if (errors.length === 0) continue;
      refused++;
      if (!errors.some((x) => x.range.start.line + 1 === mistakeLine[f])) wrongLine.push(`${f}: expected line ${mistakeLine[f]}, got ${errors.map((x) => `${x.range.start.line + 1}: ${x.message}`).join(' | ')}`);
    }
    console.log(`      refused ${refused} of ${bad.length} bad files (${((100 * refused) / bad.length).toFixed(1)} %), ${good.length} of ${good.length} good files accepted`);
    assert.ok(refused / bad.length >= 0.9, `${refused}/${bad.length}`);
    assert.deepEqual(wrongLine, []);
  });

  it("accepts every example configuration of Prometheus' documentation", () => {
    const examples = readdirSync(join(testdata, '..', 'examples')).filter((f) => f.endsWith('.yml'));
    assert.ok(examples.length >= 19, `${examples.length} examples`);
    assert.deepEqual(examples.flatMap((f) => check('../examples', f).filter((x) => x.severity === 'error').map((x) => `${f}:${x.range.start.line + 1}: ${x.message}`)), []);
  });

  it('words findings plainly: no JSON-schema patterns or type unions', () => {
    const messages = bad.flatMap((f) => check('', f).map((x) => x.message));
    assert.deepEqual(messages.filter((m) => /\^\(|\[0-9\]|must match pattern|must be equal to one of|should be|oneOf|anyOf/.test(m)), []);
  });
});
