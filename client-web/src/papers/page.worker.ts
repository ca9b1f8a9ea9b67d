// The page worker: decodes and re-encodes photos off the main thread, so that a 12 MP photo
// does not freeze the page on a cheap phone. Created by worker-client.ts; one request at a time.
import { PageError } from './errors';
import { canDrawOffscreen, type RenderRequest, renderPage } from './render';
import type { WorkerReply, WorkerRequest } from './worker-client';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
};

async function answer(request: RenderRequest): Promise<[WorkerReply, Transferable[]]> {
  if (!canDrawOffscreen()) return [{ ok: false, fallback: true }, []];
  try {
    const page = await renderPage(request);
    return [{ ok: true, page }, [page.bytes.buffer as ArrayBuffer]];
  } catch (error) {
    if (error instanceof PageError) return [{ ok: false, code: error.code, limit: error.limit }, []];
    return [{ ok: false, code: 'processing_failed' }, []];
  }
}

scope.onmessage = (e) => {
  const { id, request } = e.data;
  void answer(request).then(([reply, transfer]) => scope.postMessage({ ...reply, id }, transfer));
};
