import { Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { OPEN_ENDPOINT } from '@orderflow/observability';
import { ACCESS_RULE, AccessRule } from './access-rules';

/** One HTTP route of an app and what it declares about access: open, a rule, or nothing (refused). */
export interface RouteAccess {
  controller: string;
  handler: string;
  method: number;
  path: string;
  access: 'public' | AccessRule | 'undeclared';
}

type ModuleLike = Type | { module: Type; imports?: unknown[]; controllers?: Type[] } | { forwardRef: () => unknown };

/**
 * Every HTTP route reachable from an app module (its imports, dynamic modules included), read from
 * the same metadata the bearer-token guard reads. Kafka handlers have no path and are left out.
 */
export function routeAccessOf(root: ModuleLike): RouteAccess[] {
  return controllersOf(root, new Set()).flatMap((controller) => {
    const prototype = controller.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (typeof handler !== 'function' || name === 'constructor') return [];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) return [];
      const controllerPath = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      const isOpen = Reflect.getMetadata(OPEN_ENDPOINT, handler) ?? Reflect.getMetadata(OPEN_ENDPOINT, controller);
      const rule = (Reflect.getMetadata(ACCESS_RULE, handler) ?? Reflect.getMetadata(ACCESS_RULE, controller)) as
        AccessRule | undefined;
      return [
        {
          controller: controller.name,
          handler: name,
          method: Reflect.getMetadata(METHOD_METADATA, handler) as number,
          path: `/${[controllerPath, path].filter((part) => part && part !== '/').join('/')}`,
          access: isOpen ? 'public' : (rule ?? 'undeclared'),
        } satisfies RouteAccess,
      ];
    });
  });
}

function controllersOf(module: unknown, seen: Set<unknown>): Type[] {
  if (!module || seen.has(module) || typeof module === 'string') return [];
  seen.add(module);
  if (typeof module === 'object' && 'forwardRef' in module) {
    return controllersOf((module as { forwardRef: () => unknown }).forwardRef(), seen);
  }
  const dynamic =
    typeof module === 'object' ? (module as { module: Type; imports?: unknown[]; controllers?: Type[] }) : undefined;
  const moduleClass = dynamic ? dynamic.module : (module as Type);
  if (!moduleClass) return [];
  const metadata = (key: string) => (Reflect.getMetadata(key, moduleClass) as unknown[] | undefined) ?? [];
  const controllers = [...metadata(MODULE_METADATA.CONTROLLERS), ...(dynamic?.controllers ?? [])] as Type[];
  const imports = [...metadata(MODULE_METADATA.IMPORTS), ...(dynamic?.imports ?? [])];
  return [...new Set([...controllers, ...imports.flatMap((imported) => controllersOf(imported, seen))])];
}
