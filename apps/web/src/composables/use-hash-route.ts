import { getCurrentScope, onScopeDispose, ref } from 'vue';

/** The tool on screen: compression, or one model by name. */
export type ToolRoute = { tool: 'compress' } | { tool: 'model'; name: string };

export const COMPRESS_ROUTE: ToolRoute = { tool: 'compress' };

/** `#/models/<name>` → that model; anything else (`#/compress`, no hash) → compression. */
export function parseHash(hash: string): ToolRoute {
  const match = /^#\/models\/([^/?#]+)\/?$/.exec(hash);
  if (match?.[1]) {
    try {
      return { tool: 'model', name: decodeURIComponent(match[1]) };
    } catch {
      return COMPRESS_ROUTE;
    }
  }
  return COMPRESS_ROUTE;
}

export function routeHash(route: ToolRoute): string {
  return route.tool === 'model' ? `#/models/${encodeURIComponent(route.name)}` : '#/compress';
}

export function routeKey(route: ToolRoute): string {
  return route.tool === 'model' ? `model:${route.name}` : 'compress';
}

/** The DOM id of a tool's tab in the picker (the tab panel is labelled by it). */
export function toolTabId(route: ToolRoute): string {
  return `tool-tab-${routeKey(route).replace(/[^\w-]/g, '_')}`;
}

/** The selected tool, kept in the URL's hash so a reload (or a shared link) opens the same one. */
export function useHashRoute() {
  const route = ref<ToolRoute>(parseHash(window.location.hash));

  function onHashChange(): void {
    route.value = parseHash(window.location.hash);
  }

  function navigate(next: ToolRoute): void {
    route.value = next;
    const hash = routeHash(next);
    // Each tool switch is a history entry, so Back returns to the previous tool.
    if (window.location.hash !== hash) window.location.hash = hash;
  }

  window.addEventListener('hashchange', onHashChange);
  if (getCurrentScope()) onScopeDispose(() => window.removeEventListener('hashchange', onHashChange));

  return { route, navigate };
}
