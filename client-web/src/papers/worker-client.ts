// The main thread's side of the page worker: one worker for a batch of pages, one request
// at a time (a single 12 MP bitmap in memory), a plain answer when it cannot do the work.
import { PageError, type PageErrorCode } from './errors';
import type { RenderedPage, RenderRequest } from './render';

export interface WorkerRequest {
  id: number;
  request: RenderRequest;
}

export type WorkerReply = { id?: number } & (
  | { ok: true; page: RenderedPage }
  | { ok: false; code: PageErrorCode; limit?: number }
  /** This worker has no 2d OffscreenCanvas: draw on the main thread instead. */
  | { ok: false; fallback: true }
);

/** The worker could not start, crashed, or has no canvas: the caller draws on the main thread. */
export class WorkerUnavailable extends Error {
  override readonly name = 'WorkerUnavailable';
}

export const workersAvailable = () => typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined';

export class PageWorker {
  private worker: Worker | null = null;
  private next = 0;

  /** Renders in the worker; rejects with a PageError, or WorkerUnavailable. */
  render(request: RenderRequest): Promise<RenderedPage> {
    this.worker ??= new Worker(new URL('./page.worker.ts', import.meta.url), { type: 'module' });
    const worker = this.worker;
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const done = () => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        worker.removeEventListener('messageerror', onError);
      };
      const onMessage = (e: MessageEvent<WorkerReply>) => {
        const reply = e.data;
        if (reply.id !== id) return;
        done();
        if (reply.ok) resolve(reply.page);
        else if ('fallback' in reply) reject(new WorkerUnavailable('no 2d OffscreenCanvas in workers'));
        else reject(new PageError(reply.code, reply.limit));
      };
      const onError = (e: Event) => {
        e.preventDefault();
        done();
        this.close();
        reject(new WorkerUnavailable(e instanceof ErrorEvent ? e.message : e.type));
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.addEventListener('messageerror', onError);
      worker.postMessage({ id, request } satisfies WorkerRequest);
    });
  }

  close() {
    this.worker?.terminate();
    this.worker = null;
  }
}
