// "Copy as docker run": the command line equivalent to a create body, for sharing with a team. Secrets masked.
import { maskCreateBody, type ContainerCreateBody } from './containerCreateBody';

/** POSIX shell quoting: bare when safe, single quotes otherwise. */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One field of a `--mount` value. Docker reads that value as a CSV record (Go's encoding/csv), so a field with a
 * comma, a double quote or a line break is quoted, its quotes doubled; otherwise `source=/a,source=/etc` would
 * add a second source and `resnet,v2` would be refused.
 */
export function mountField(key: string, value?: string): string {
  const field = value === undefined ? key : `${key}=${value}`;
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export function dockerRunCommand(body: ContainerCreateBody): string {
  const b = maskCreateBody(body);
  const args: string[] = ['docker', 'run', '-d'];
  if (b.name) args.push('--name', b.name);
  if (b.HostConfig.Init) args.push('--init');
  for (const [containerPort, bindings] of Object.entries(b.HostConfig.PortBindings)) {
    const port = containerPort.replace(/\/tcp$/, '');
    for (const pb of bindings) args.push('-p', `${pb.HostIp ? pb.HostIp + ':' : ''}${pb.HostPort}:${port}`);
  }
  for (const m of b.HostConfig.Mounts) {
    const fields = [mountField('type', m.Type), mountField('source', m.Source), mountField('target', m.Target), ...(m.ReadOnly ? [mountField('readonly')] : [])];
    args.push('--mount', fields.join(','));
  }
  for (const e of b.Env) args.push('-e', e);
  if (b.HostConfig.DeviceRequests?.some((d) => d.Driver === 'nvidia' && d.Count === -1)) args.push('--gpus', 'all');
  if (b.HostConfig.Runtime) args.push('--runtime', b.HostConfig.Runtime);
  for (const [k, v] of Object.entries(b.Labels)) args.push('--label', `${k}=${v}`);
  args.push(b.Image, ...b.Cmd);
  return args.map(shellQuote).join(' ');
}
