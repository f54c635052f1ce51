import { createRouter, createWebHashHistory, type RouteRecordRaw, type RouterHistory } from 'vue-router';
import CompressPage from '../features/compress/compress-page.vue';
import ModelPage from '../features/models/model-page.vue';

function isDecodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The app's pages. URLs live in the hash (`/#/models/ocr`), so the server only ever serves `/`
 * and a shared link opens the same tool. The route names are the ones `tool-route.ts` maps.
 */
export const routes: readonly RouteRecordRaw[] = [
  { path: '/compress', name: 'compress', component: CompressPage },
  // Its own chunk: the chart library loads only with the status page.
  { path: '/status', name: 'status', component: () => import('../features/status/status-page.vue') },
  {
    path: '/models/:name',
    name: 'model',
    component: ModelPage,
    props: true,
    // A name that is not valid percent-encoding is a broken link, not a model to look for.
    beforeEnter: (to) => isDecodable(to.path) || { name: 'compress' },
  },
  // No hash, `#/`, `#/models/` or anything else unknown: compression, the first tool. (A path,
  // not the name: a named redirect would carry the unknown path along as a param.)
  { path: '/:pathMatch(.*)*', redirect: '/compress' },
];

/** Tests pass a memory history; the page keeps its state in the URL's hash. */
export function createAppRouter(history: RouterHistory = createWebHashHistory()) {
  return createRouter({ history, routes });
}
