import type { RouteLocationRaw, RouteParamsGeneric, RouteRecordNameGeneric } from 'vue-router';

/** The tool on screen: compression, or one model by name. */
export type ToolRoute = { tool: 'compress' } | { tool: 'model'; name: string };

export const COMPRESS_ROUTE: ToolRoute = { tool: 'compress' };

/** The tool a resolved route shows (`model` with its `name`; anything else is compression). */
export function toolOf(route: { name?: RouteRecordNameGeneric | null; params: RouteParamsGeneric }): ToolRoute {
  const name = route.params.name;
  return route.name === 'model' && typeof name === 'string' ? { tool: 'model', name } : COMPRESS_ROUTE;
}

/** Where the router goes to show a tool. */
export function toolLocation(route: ToolRoute): RouteLocationRaw {
  return route.tool === 'model' ? { name: 'model', params: { name: route.name } } : { name: 'compress' };
}

export function routeKey(route: ToolRoute): string {
  return route.tool === 'model' ? `model:${route.name}` : 'compress';
}

/** The DOM id of a tool's tab in the picker (the tab panel is labelled by it). */
export function toolTabId(route: ToolRoute): string {
  return `tool-tab-${routeKey(route).replace(/[^\w-]/g, '_')}`;
}
