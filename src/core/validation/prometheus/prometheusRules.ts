// Prometheus' checks beyond the shape of each section, from its configuration code (config/config.go,
// model/relabel, common/config's HTTP client config, the service discoveries' UnmarshalYAML): what each relabel
// action requires, HTTP client, proxy and TLS consistency, per-discovery requirements, remote write/read and
// tracing headers, queue settings, storage limits, OTLP attribute lists, static targets. Each rule runs on the
// map the schema walker typed, and reports on the key at fault.
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { isNullNode, isSetValue, pairOf, scalarText, shown, type Reporter, type TypedMap } from './schemaWalker';
import { isUtf8, labelNameError, parseDuration, sizeError, targetError, urlError, type NameValidationScheme } from './prometheusValues';

export interface RuleContext {
  report: Reporter;
  /** The global metric_name_validation_scheme (utf8 unless set to legacy). */
  nameScheme: NameValidationScheme;
  /** The scheme in force at a path: a scrape config's own setting, else the global one. */
  nameSchemeAt: (path: string) => NameValidationScheme;
}

type Rule = (m: Section, ctx: RuleContext) => void;

/** A typed map with shorthand accessors. */
export class Section {
  constructor(readonly typed: TypedMap) {}
  get map(): YAMLMap { return this.typed.map; }
  get path(): string { return shown(this.typed.path); }
  pair(key: string): Pair<Node, Node | null> | undefined { return pairOf(this.map, key); }
  value(key: string): Node | null | undefined { return this.pair(key)?.value; }
  has(key: string): boolean { return isSetValue(this.value(key)); }
  text(key: string): string | undefined {
    const v = this.value(key);
    return isScalar(v) && !isNullNode(v) ? scalarText(v) : undefined;
  }
  sub(key: string): YAMLMap | undefined {
    const v = this.value(key);
    return isMap(v) ? v : undefined;
  }
  /** Where a finding about the section as a whole goes: the key holding it, else its first key. */
  get anchor(): Node | Pair | undefined { return this.typed.holder ?? (this.map.items[0] as Pair | undefined) ?? this.map; }
}

const RESERVED_HEADERS = new Set(['host', 'content-encoding', 'content-length', 'content-type', 'user-agent', 'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'www-authenticate', 'accept-encoding', 'x-prometheus-remote-write-version', 'x-prometheus-remote-read-version', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);

// ---- Relabelling (model/relabel Config.Validate). ----
const relabel: Rule = (s, ctx) => {
  const { report } = ctx;
  const actionPair = s.pair('action');
  if (actionPair && isNullNode(actionPair.value)) return report(actionPair, `${s.path}: action is empty; remove the key to use the default (replace) or name an action.`, 'prometheus.relabel');
  const action = (s.text('action') ?? 'replace').toLowerCase();
  const at = actionPair ?? s.anchor;
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
  if (action === 'hashmod' && !(Number(s.text('modulus') ?? 0) > 0)) report(s.pair('modulus') ?? at, `${s.path}: the hashmod action needs a non-zero modulus.`, 'prometheus.relabel');
  if (needsTarget.includes(action) && !s.has('target_label')) report(at, `${s.path}: the ${action} action needs a target_label.`, 'prometheus.relabel');
  const replacementSet = s.pair('replacement') !== undefined && s.text('replacement') !== '$1';
  // Label names the action writes, under the scheme of the scrape config (legacy allows $1 / ${name} references).
  const scheme = ctx.nameSchemeAt(s.typed.path);
  const target = s.text('target_label');
  if (target && ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action)) {
    const err = labelNameError(target, scheme, true, action === 'replace');
    if (err) report(s.pair('target_label'), `${s.path}: ${err} (target_label of the ${action} action).`, 'prometheus.label-name');
  }
  const replacement = s.text('replacement');
  if (action === 'labelmap' && replacement !== undefined) {
    const err = labelNameError(replacement, scheme, true, true);
    if (err) report(s.pair('replacement'), `${s.path}: ${err} (replacement of the labelmap action).`, 'prometheus.label-name');
  }
  if (['lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action) && replacementSet) {
    report(s.pair('replacement'), `${s.path}: replacement cannot be set for the ${action} action.`, 'prometheus.relabel');
  } else if (action === 'keepequal' || action === 'dropequal') {
    const extra = [['regex', '(.*)'], ['modulus', '0'], ['separator', ';']].find(([k, d]) => s.pair(k) && s.text(k) !== d);
    if (extra) report(s.pair(extra[0]), `${s.path}: the ${action} action takes only source_labels and target_label; remove ${extra[0]}.`, 'prometheus.relabel');
  }
  if (action === 'labeldrop' || action === 'labelkeep') {
    const defaults: Record<string, string | undefined> = { source_labels: undefined, target_label: '', modulus: '0', separator: ';', replacement: '$1' };
    const extra = Object.keys(defaults).find((k) => s.pair(k) && (k === 'source_labels' ? !isNullNode(s.value(k)) : s.text(k) !== defaults[k]));
    if (extra) report(s.pair(extra), `${s.path}: the ${action} action takes only regex; remove ${extra}.`, 'prometheus.relabel');
  }
};

// ---- HTTP client (common/config HTTPClientConfig.Validate, ProxyConfig, TLSConfig). ----
const httpClient: Rule = (s, { report }) => {
  const auth = s.sub('authorization');
  const type = auth && pairOf(auth, 'type');
  if (type && isScalar(type.value) && scalarText(type.value).trim().toLowerCase() === 'basic') report(type, `${s.path}.authorization: type cannot be "Basic"; use basic_auth instead.`, 'prometheus.http');
  const oauth = s.sub('oauth2');
  if (oauth) {
    for (const key of ['client_id', 'token_url']) if (!isSetValue(pairOf(oauth, key)?.value)) report(s.pair('oauth2'), `${s.path}.oauth2: ${key} must be set.`, 'prometheus.required');
    const tokenUrl = pairOf(oauth, 'token_url');
    checkUrl(tokenUrl, `${s.path}.oauth2.token_url`, report, { needsHost: true }, 'warning');
  }
  const proxied = s.has('proxy_url');
  const fromEnv = s.text('proxy_from_environment') !== undefined && /^(true|yes|on|y)$/i.test(s.text('proxy_from_environment')!);
  if (s.has('proxy_connect_header') && !proxied && !fromEnv) report(s.pair('proxy_connect_header'), `${s.path}: proxy_connect_header needs proxy_url or proxy_from_environment.`, 'prometheus.proxy');
  if (fromEnv && proxied) report(s.pair('proxy_url'), `${s.path}: proxy_from_environment and proxy_url cannot both be set.`, 'prometheus.proxy');
  if (fromEnv && s.has('no_proxy')) report(s.pair('no_proxy'), `${s.path}: no_proxy cannot be used with proxy_from_environment.`, 'prometheus.proxy');
  if (!proxied && s.has('no_proxy') && !fromEnv) report(s.pair('no_proxy'), `${s.path}: no_proxy needs proxy_url.`, 'prometheus.proxy');
  checkUrl(s.pair('proxy_url'), `${s.path}.proxy_url`, report, { needsHost: true }, 'warning');
};

const tls: Rule = (s, { report }) => {
  const cert = s.has('cert') || s.has('cert_file');
  const key = s.has('key') || s.has('key_file');
  if (cert && !key) report(s.pair('cert') ?? s.pair('cert_file'), `${s.path}: a client certificate needs its key (key or key_file).`, 'prometheus.tls');
  if (key && !cert) report(s.pair('key') ?? s.pair('key_file'), `${s.path}: a client key needs its certificate (cert or cert_file).`, 'prometheus.tls');
  const versions = ['TLS10', 'TLS11', 'TLS12', 'TLS13'];
  const min = versions.indexOf(s.text('min_version') ?? '');
  const max = versions.indexOf(s.text('max_version') ?? '');
  if (min >= 0 && max >= 0 && min > max) report(s.pair('max_version'), `${s.path}: max_version ${s.text('max_version')} is below min_version ${s.text('min_version')}.`, 'prometheus.tls');
};

/** Prometheus refuses some URLs (httpOnly / needsHost discoveries) and only parses others; for the latter a URL
 * without a host is most likely a host:port missing its scheme, worth a warning. */
function checkUrl(pair: Pair<Node, Node | null> | undefined, where: string, report: Reporter, rules: Parameters<typeof urlError>[1], severity: 'error' | 'warning' = 'error'): void {
  if (!pair || !isScalar(pair.value) || isNullNode(pair.value)) return;
  const value = scalarText(pair.value);
  const err = urlError(value, rules);
  if (!err) return;
  const hint = severity === 'warning' && !value.includes('//') ? ` Prometheus reads it as scheme "${value.split(':')[0]}"; write http://${value} or https://${value}.` : '';
  report(pair.value, `${where}: ${err}.${hint}`, 'prometheus.url', severity);
}

function checkHeaders(s: Section, report: Reporter, authorizationWords: string): void {
  const headers = s.sub('headers');
  for (const p of headers?.items ?? []) {
    const name = isScalar(p.key) ? scalarText(p.key) : '';
    const lower = name.toLowerCase();
    if (lower === 'authorization') report(p as Pair, `${s.path}.headers: ${authorizationWords}`, 'prometheus.header');
    else if (RESERVED_HEADERS.has(lower)) report(p as Pair, `${s.path}.headers: ${name} is set by Prometheus itself and cannot be changed.`, 'prometheus.header');
  }
}

// ---- Scrape configs. ----
const scrape: Rule = (s, ctx) => {
  httpClient(s, ctx);
  const protocols = s.value('scrape_protocols');
  if (isSeq(protocols)) duplicates(protocols, `${s.path}.scrape_protocols`, 'protocol', ctx.report);
  const validation = s.text('metric_name_validation_scheme') || undefined;
  const escaping = s.text('metric_name_escaping_scheme');
  if (escaping === 'allow-utf-8' && (validation ?? ctx.nameScheme) === 'legacy') {
    ctx.report(s.pair('metric_name_escaping_scheme'), `${s.path}: metric_name_escaping_scheme allow-utf-8 needs metric_name_validation_scheme utf8.`, 'prometheus.names');
  }
  // Static targets are host:port; Prometheus only checks them when no relabelling could rewrite them.
  if (!s.has('relabel_configs')) {
    const statics = s.value('static_configs');
    for (const group of isSeq(statics) ? statics.items : []) {
      const targets = isMap(group) ? pairOf(group, 'targets')?.value : undefined;
      for (const t of isSeq(targets) ? targets.items : []) {
        if (!isScalar(t) || isNullNode(t)) continue;
        const err = targetError(scalarText(t));
        if (err) ctx.report(t, `${s.path}.static_configs: ${err}.`, 'prometheus.target');
      }
    }
  }
};

function duplicates(seq: YAMLSeq, where: string, what: string, report: Reporter): void {
  const seen = new Set<string>();
  for (const item of seq.items) {
    if (!isScalar(item)) continue;
    const v = scalarText(item);
    if (seen.has(v)) report(item, `${where}: the ${what} ${v} is listed twice.`, 'prometheus.duplicate');
    seen.add(v);
  }
}

const labelMap = (where: string, map: YAMLMap | undefined, ctx: RuleContext) => {
  for (const p of map?.items ?? []) {
    if (!isScalar(p.key)) continue;
    const bytes = p.key.value instanceof Uint8Array ? p.key.value : undefined;
    const name = scalarText(p.key);
    const err = labelNameError(name, ctx.nameScheme, !bytes || isUtf8(bytes));
    if (err) ctx.report(p as Pair, `${where}: ${err}.`, 'prometheus.label-name');
  }
};

// ---- Service discoveries. ----
const kubernetes: Rule = (s, ctx) => {
  httpClient(s, ctx);
  const custom = ['basic_auth', 'authorization', 'oauth2', 'bearer_token', 'bearer_token_file', 'tls_config', 'proxy_url'].find((k) => s.has(k));
  if (s.has('kubeconfig_file') && custom) ctx.report(s.pair(custom), `${s.path}: ${custom} cannot be used with kubeconfig_file (the kubeconfig holds the client settings).`, 'prometheus.kubernetes');
  else if (!s.has('api_server') && !s.has('kubeconfig_file') && custom) ctx.report(s.pair(custom), `${s.path}: ${custom} needs api_server set explicitly.`, 'prometheus.kubernetes');
  const ns = s.sub('namespaces');
  const own = ns && pairOf(ns, 'own_namespace');
  if (own && isScalar(own.value) && /^(true|yes|on|y)$/i.test(scalarText(own.value))) {
    const other = s.has('api_server') ? 'api_server' : s.has('kubeconfig_file') ? 'kubeconfig_file' : undefined;
    if (other) ctx.report(own, `${s.path}: namespaces.own_namespace cannot be used with ${other}.`, 'prometheus.kubernetes');
  }
  checkUrl(s.pair('api_server'), `${s.path}.api_server`, ctx.report, { needsHost: true }, 'warning');
  const allowed: Record<string, string[]> = { pod: ['pod', 'node'], service: ['service'], endpointslice: ['pod', 'service', 'endpointslice'], endpoints: ['pod', 'service', 'endpoints'], node: ['node'], ingress: ['ingress'] };
  const role = s.text('role') ?? '';
  const selectors = s.value('selectors');
  const seen = new Set<string>();
  for (const sel of isSeq(selectors) ? selectors.items : []) {
    if (!isMap(sel)) continue;
    const rolePair = pairOf(sel, 'role');
    const selRole = rolePair && isScalar(rolePair.value) ? scalarText(rolePair.value) : '';
    if (seen.has(selRole)) ctx.report(rolePair, `${s.path}.selectors: a second selector for role ${selRole}; give each role one selector.`, 'prometheus.kubernetes');
    seen.add(selRole);
    if (allowed[role] && !allowed[role].includes(selRole)) ctx.report(rolePair, `${s.path}.selectors: the ${role} role supports only ${allowed[role].join(', ')} selectors.`, 'prometheus.kubernetes');
    const field = pairOf(sel, 'field');
    if (field && isScalar(field.value) && !isNullNode(field.value)) {
      const bad = scalarText(field.value).split(',').find((term) => term.trim() && !/^[^=!]+(==?|!=)[^=!]*$/.test(term.trim()));
      if (bad !== undefined) ctx.report(field.value, `${s.path}.selectors: "${bad}" is not a field selector (key=value, key==value or key!=value, comma-separated).`, 'prometheus.kubernetes');
    }
  }
};

const azure: Rule = (s, ctx) => {
  httpClient(s, ctx);
  if ((s.text('authentication_method') ?? 'OAuth') !== 'OAuth') return;
  for (const key of ['tenant_id', 'client_id', 'client_secret']) {
    if (!s.has(key)) ctx.report(s.pair(key) ?? s.anchor, `${s.path}: ${key} must be set with the OAuth authentication method.`, 'prometheus.required');
  }
};

const ec2: Rule = (s, ctx) => {
  httpClient(s, ctx);
  const filters = s.value('filters');
  for (const f of isSeq(filters) ? filters.items : []) {
    const values = isMap(f) ? pairOf(f, 'values') : undefined;
    if (isMap(f) && (!values || isNullNode(values.value) || (isSeq(values.value) && values.value.items.length === 0))) {
      ctx.report(values ?? (f.items[0] as Pair), `${s.path}.filters: a filter needs at least one value.`, 'prometheus.ec2');
    }
  }
};

const httpUrl = (key: string): Rule => (s, ctx) => {
  httpClient(s, ctx);
  checkUrl(s.pair(key), `${s.path}.${key}`, ctx.report, { httpOnly: true, needsHost: true });
};

const serverUrl = (key: string): Rule => (s, ctx) => {
  httpClient(s, ctx);
  checkUrl(s.pair(key), `${s.path}.${key}`, ctx.report, { needsHost: true });
};

const marathon: Rule = (s, ctx) => {
  httpClient(s, ctx);
  const servers = s.value('servers');
  for (const v of isSeq(servers) ? servers.items : []) if (isScalar(v)) checkUrl({ value: v } as Pair<Node, Node>, `${s.path}.servers`, ctx.report, { needsHost: true }, 'warning');
};

// ---- Remote write / read, tracing. ----
const remoteWrite: Rule = (s, ctx) => {
  httpClient(s, ctx);
  checkHeaders(s, ctx.report, 'set the Authorization header with basic_auth, authorization, oauth2, sigv4, azuread or google_iam instead.');
  const q = s.sub('queue_config');
  if (!q) return;
  const num = (k: string) => { const p = pairOf(q, k); return p && isScalar(p.value) && !isNullNode(p.value) ? Number(scalarText(p.value)) : undefined; };
  for (const k of ['max_shards', 'min_shards', 'max_samples_per_send', 'capacity']) {
    const v = num(k);
    if (v !== undefined && v <= 0) ctx.report(pairOf(q, k), `${s.path}.queue_config: ${k} must be positive.`, 'prometheus.queue');
  }
  const min = num('min_shards') ?? 1;
  const max = num('max_shards') ?? 50;
  if (min > 0 && max > 0 && min > max) ctx.report(pairOf(q, 'min_shards') ?? pairOf(q, 'max_shards'), `${s.path}.queue_config: min_shards (${min}) is greater than max_shards (${max}).`, 'prometheus.queue');
  const ms = (k: string, d: number) => { const p = pairOf(q, k); if (!p || !isScalar(p.value) || isNullNode(p.value)) return d; const r = parseDuration(scalarText(p.value)); return 'ms' in r ? r.ms : d; };
  if (ms('max_backoff', 5000) < ms('min_backoff', 30)) ctx.report(pairOf(q, 'max_backoff') ?? pairOf(q, 'min_backoff'), `${s.path}.queue_config: max_backoff is less than min_backoff.`, 'prometheus.queue');
};

const remoteRead: Rule = (s, ctx) => {
  httpClient(s, ctx);
  checkHeaders(s, ctx.report, 'set the Authorization header with basic_auth, authorization or oauth2 instead.');
};

const tracing: Rule = (s, ctx) => {
  checkHeaders(s, ctx.report, 'a custom Authorization header is not supported for tracing yet.');
};

// ---- Storage and OTLP. ----
const retention: Rule = (s, { report }) => {
  const size = s.text('size');
  if (size?.startsWith('-') && !sizeError(size)) report(s.pair('size'), `${s.path}: size must be 0 or more.`, 'prometheus.storage');
  const pct = s.text('percentage');
  if (pct !== undefined && !(Number(pct) >= 0 && Number(pct) <= 100)) report(s.pair('percentage'), `${s.path}: percentage must be between 0 and 100.`, 'prometheus.storage');
};

const otlp: Rule = (s, { report }) => {
  const promoteAll = /^(true|yes|on|y)$/i.test(s.text('promote_all_resource_attributes') ?? '');
  if (promoteAll && s.has('promote_resource_attributes')) report(s.pair('promote_resource_attributes'), `${s.path}: promote_all_resource_attributes and promote_resource_attributes cannot both be set.`, 'prometheus.otlp');
  if (!promoteAll && s.has('ignore_resource_attributes')) report(s.pair('ignore_resource_attributes'), `${s.path}: ignore_resource_attributes needs promote_all_resource_attributes: true.`, 'prometheus.otlp');
  for (const key of ['promote_resource_attributes', 'ignore_resource_attributes']) {
    const list = s.value(key);
    const seen = new Set<string>();
    for (const item of isSeq(list) ? list.items : []) {
      if (!isScalar(item)) continue;
      const attr = isNullNode(item) ? '' : scalarText(item).trim();
      if (attr === '') report(item, `${s.path}.${key}: an empty attribute name.`, 'prometheus.otlp');
      else if (seen.has(attr)) report(item, `${s.path}.${key}: "${attr}" is listed twice.`, 'prometheus.otlp');
      seen.add(attr);
    }
  }
};

const globalRules: Rule = (s, ctx) => {
  labelMap(`${s.path}.external_labels`, s.sub('external_labels'), ctx);
  if (s.text('metric_name_escaping_scheme') === 'allow-utf-8' && ctx.nameScheme === 'legacy') {
    ctx.report(s.pair('metric_name_escaping_scheme'), `${s.path}: metric_name_escaping_scheme allow-utf-8 needs metric_name_validation_scheme utf8.`, 'prometheus.names');
  }
  const protocols = s.value('scrape_protocols');
  if (isSeq(protocols)) duplicates(protocols, `${s.path}.scrape_protocols`, 'protocol', ctx.report);
};

// Target labels decode as a LabelSet, always under Prometheus 3's UTF-8 rule.
const staticConfig: Rule = (s, ctx) => labelMap(`${s.path}.labels`, s.sub('labels'), { ...ctx, nameScheme: 'utf8' });

const withHttp: Rule = (s, ctx) => httpClient(s, ctx);

const rules: Record<string, Rule> = {
  relabel_config: relabel,
  scrape_config: scrape,
  tls_config: tls,
  kubernetes_sd_config: kubernetes,
  azure_sd_config: azure,
  ec2_sd_config: ec2,
  http_sd_config: httpUrl('url'),
  puppetdb_sd_config: httpUrl('url'),
  eureka_sd_config: serverUrl('server'),
  stackit_sd_config: serverUrl('endpoint'),
  marathon_sd_config: marathon,
  remote_write: remoteWrite,
  remote_read: remoteRead,
  tracing_config: tracing,
  static_config: staticConfig,
};

/** Runs the rules of one typed map. */
export function runRules(typed: TypedMap, ctx: RuleContext): void {
  const s = new Section(typed);
  if (typed.definition === 'configuration') return;
  const rule = rules[typed.definition] ?? (s.typed.path === 'global' ? globalRules : /_sd_config$|^alertmanager_config$/.test(typed.definition) ? withHttp : undefined);
  rule?.(s, ctx);
  if (typed.path.endsWith('.retention') || typed.path === 'storage.tsdb.retention') retention(s, ctx);
  if (typed.path === 'otlp') otlp(s, ctx);
}
