/**
 * fault-test's way to a frontend: a port-forward to one ready frontend pod (port-forward.ts says why not the
 * service proxy), kept across the fault.
 *
 * - It starts on a ready frontend pod that is not the pod to delete when there is one (a worker fault, or a frontend
 *   fault with 2 or more frontend replicas): that forward lives through the fault, and any end of it voids the run.
 * - With a single frontend replica and `--delete frontend`, the only pod is the one deleted: its forward ends with
 *   it (closed at the delete, which kubectl would do by itself with `lost connection to pod`). Until a replacement
 *   pod is Ready and forwarded to, there is no way to the frontend: every request of that time fails (`no frontend
 *   pod to forward to`), as it would through the Service, which has no ready endpoint then. The link looks for the
 *   replacement every `pollMs` (a pod of the frontend service, Ready, not deleted) and forwards to it.
 */
import type { Clock } from './fault-load.js';
import type { PortForward } from './port-forward.js';

export interface FrontendLink {
  /** The base URL of the current forward; undefined while there is none. */
  base(): string | undefined;
  /** Why the run is void (a forward that ended unexpectedly, a failing pod lookup); undefined while all is well. */
  failure(): string | undefined;
  /** The pods forwarded to, in order. */
  readonly pods: readonly string[];
  /** `pod` was deleted: a forward to it is dropped and replaced by one to a ready replacement. */
  deleted(pod: string): void;
  close(): void;
}

export interface FrontendLinkDeps {
  /** Starts a forward to a pod. */
  readonly forward: (pod: string) => Promise<PortForward>;
  /** A ready frontend pod not in `exclude`, or undefined while there is none. Throws when the lookup fails. */
  readonly readyPod: (exclude: readonly string[]) => Promise<string | undefined>;
  readonly clock: Clock;
  /** @default 1000 */
  readonly pollMs?: number;
}

/** The link, forwarding to `first` (a ready frontend pod, not the one to delete when there is another). */
export async function frontendLink(first: string, d: FrontendLinkDeps): Promise<FrontendLink> {
  let current: PortForward | undefined = await d.forward(first);
  const pods = [first];
  const gone: string[] = [];
  const closed = new AbortController();
  let broken: string | undefined;

  async function reconnect(): Promise<void> {
    while (!closed.signal.aborted && current === undefined && broken === undefined) {
      try {
        const pod = await d.readyPod(gone);
        if (pod !== undefined && !closed.signal.aborted) {
          // A pod just Ready may refuse the forward for a moment: the next poll tries again.
          const f = await d.forward(pod).catch(() => undefined);
          if (f && closed.signal.aborted) f.close();
          else if (f) {
            current = f;
            pods.push(pod);
            return;
          }
        }
      } catch (e) {
        broken = `looking for a ready frontend pod after the delete: ${(e as Error).message}`;
        return;
      }
      await d.clock.sleep(d.pollMs ?? 1000, closed.signal);
    }
  }

  /** A forward to a deleted pod that ended is expected: look for the replacement. */
  const drop = () => {
    current?.close();
    current = undefined;
    void reconnect();
  };

  return {
    base: () => {
      if (current?.failure() !== undefined && gone.includes(current.pod)) drop();
      return current?.failure() === undefined ? current?.url : undefined;
    },
    failure: () => {
      if (broken) return broken;
      const ended = current?.failure();
      if (ended === undefined) return undefined;
      if (gone.includes(current!.pod)) {
        drop();
        return undefined;
      }
      return ended;
    },
    pods,
    deleted(pod) {
      gone.push(pod);
      if (current?.pod === pod) drop();
    },
    close() {
      closed.abort();
      current?.close();
    },
  };
}
