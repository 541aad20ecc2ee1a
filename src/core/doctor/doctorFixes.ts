// The doctor's fixes that change a container or a model folder. Plans are pure (inspect answer in, create body
// out) so they can be checked without Docker; applying one re-creates the container the way restartWithMonitoring does.
import * as fs from 'fs';
import * as path from 'path';
import type { ContainerPlan } from '../serving/containerCreateBody';
import type { DockerEngine, StartedContainer } from '../serving/dockerEngine';
import { createBodyFromInspect, withoutFlags, type InspectedContainer } from '../serving/inspectedContainer';
import { modelServerArg } from '../serving/modelServerFlags';
import type { DoctorAction } from './diagnosis';

export type ContainerAction = Extract<DoctorAction, { kind: 'serve-parent-folder' | 'restart-with-flag' | 'restart-with-env' | 'use-image-tag' }>;

/** The inspected container's create body with the fix applied. */
export function planContainerFix(info: InspectedContainer, action: ContainerAction): ContainerPlan {
  const create = createBodyFromInspect(info);
  switch (action.kind) {
    case 'restart-with-flag':
      return { create: { ...create, Cmd: [...withoutFlags(create.Cmd, [action.flag]), modelServerArg(action.flag, action.value)] }, files: [] };
    case 'restart-with-env':
      return { create: { ...create, Env: [...create.Env.filter((kv) => !kv.startsWith(`${action.name}=`)), `${action.name}=${action.value}`] }, files: [] };
    case 'use-image-tag':
      return { create: { ...create, Image: create.Image.replace(/(:[^:/]+)?$/, `:${action.tag}`) }, files: [] };
    case 'serve-parent-folder': {
      const mount = create.HostConfig.Mounts.find((m) => path.resolve(m.Source) === path.resolve(action.hostDir));
      if (!mount) throw new Error(`The container does not mount ${action.hostDir}; start it again from the model folder ${action.parentDir}.`);
      const mounts = create.HostConfig.Mounts.map((m) => (m === mount ? { ...m, Source: action.parentDir } : m));
      return { create: { ...create, HostConfig: { ...create.HostConfig, Mounts: mounts } }, files: [] };
    }
  }
}

/** Removes the container and creates it again with the fix; the caller waits for its model if it wants to. */
export async function applyContainerFix(engine: DockerEngine, id: string, action: ContainerAction): Promise<StartedContainer> {
  const plan = planContainerFix(await engine.inspect(id), action);
  await engine.remove(id, true);
  return engine.createAndStart(plan, { pull: false });
}

/** Renames a version folder to its number; refuses when that number is taken (nothing is overwritten). */
export async function renameVersionFolder(dir: string, to: string): Promise<string> {
  if (!/^\d+$/.test(to)) throw new Error(`"${to}" is not a version number.`);
  const target = path.join(path.dirname(dir), to);
  if (fs.existsSync(target)) throw new Error(`${target} already exists; rename ${path.basename(dir)} by hand to a free number.`);
  await fs.promises.rename(dir, target);
  return target;
}
