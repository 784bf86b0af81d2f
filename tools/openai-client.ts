/**
 * The two calls `fault-test` makes to a Dynamo frontend (ai-dynamo/dynamo 0.9.0, lib/llm/src/http/service/openai.rs):
 * `GET /v1/models` (`{"object": "list", "data": [{"id": <served model name>, ...}]}`) and a non-streaming
 * `POST /v1/chat/completions` with a tiny `max_tokens`. Every backend registers its model for chat (vLLM, SGLang and
 * TRT-LLM workers register ModelType.Chat). A failing request is any other answer: the frontend's JSON errors (404
 * "Model not found" once the last worker of the model is gone, 503 when overloaded or not ready, 500), the API
 * a reset or refused connection (a port-forward to a pod that is going), no frontend pod to forward to, or the timeout.
 */
import type { Outcome, Send } from './fault-load.js';
import { ToolError } from './kubectl.js';

/** The most a probe request generates: enough to prove the worker answered, cheap enough not to load it. */
export const PROBE_MAX_TOKENS = 4;

/** Why a fetch failed, in a few words: `timeout`, `connection refused`, `connection reset`, or the error's message. */
export function fetchFailure(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return 'timeout';
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection reset';
  return (err.cause?.message ?? err.message).slice(0, 80);
}

/** The names the frontend serves, sorted. A frontend that does not answer (until `signal` aborts: Ctrl-C or --timeout) is a ToolError. */
export async function listModels(base: string, signal?: AbortSignal): Promise<string[]> {
  let r: Response;
  try {
    r = await fetch(`${base}/v1/models`, { ...(signal && { signal }) });
  } catch (e) {
    throw new ToolError(`GET /v1/models through ${base}: ${fetchFailure(e)}`);
  }
  const text = await r.text();
  if (!r.ok) throw new ToolError(`GET /v1/models answered HTTP ${r.status}: ${text.trim().split('\n')[0]!.slice(0, 160)}`);
  let body: { data?: { id?: unknown }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ToolError('GET /v1/models answered something that is not JSON: is this a Dynamo frontend?');
  }
  return (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string').sort();
}

/** What a request is when there is no way to the frontend (no frontend pod to forward to). */
export const NO_FRONTEND = 'no frontend pod to forward to';

/** One chat completion of at most PROBE_MAX_TOKENS tokens: ok on HTTP 200 with at least one choice. `base()` undefined: a failure. */
export const chatProbe = (base: () => string | undefined, model: string): Send => async (signal): Promise<Outcome> => {
  const url = base();
  if (url === undefined) return { ok: false, error: NO_FRONTEND };
  try {
    const r = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Reply with one word.' }], max_tokens: PROBE_MAX_TOKENS, stream: false }),
      signal,
    });
    const text = await r.text();
    if (r.status !== 200) return { ok: false, error: `HTTP ${r.status}` };
    const body = JSON.parse(text) as { choices?: unknown };
    return Array.isArray(body.choices) && body.choices.length > 0 ? { ok: true } : { ok: false, error: 'an answer without choices' };
  } catch (e) {
    return { ok: false, error: e instanceof SyntaxError ? 'an answer that is not JSON' : fetchFailure(e) };
  }
};
