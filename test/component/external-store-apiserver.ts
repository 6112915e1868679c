import * as pulumi from "@pulumi/pulumi";

/**
 * What the test mocks leave out and the ExternalStore checksum reads: the API server
 * gives every object it writes a `metadata.uid` (once, at creation) and a
 * `metadata.resourceVersion` (a counter of the cluster's store, bumped on every write).
 * The mocks return an object's inputs as its state; this wraps the mock monitor so that
 * Kubernetes objects come back with both, the way a real cluster that persists between
 * `pulumi up` runs would: an object written again with the same content is not written
 * (same version), with other content it is (the next version of the cluster's counter).
 * The version depends only on the order of writes, never on the content.
 */
export class EmulatedApiServer {
    private revision = 0;
    private readonly objects = new Map<string, { readonly content: string; readonly uid: string; readonly resourceVersion: string }>();
    private restore?: () => void;

    /** Starts answering registrations; `stop` puts the plain mocks back. */
    start(): void {
        const monitor: any = pulumi.runtime.getMonitor();
        const register = monitor.registerResource;
        monitor.registerResource = (req: any, callback: (err: any, res?: any) => void) =>
            register.call(monitor, req, (err: any, res: any) => {
                if (!err && res && String(req.getType()).startsWith("kubernetes:") && req.getCustom()) {
                    this.write(`${req.getType()}::${req.getName()}`, res);
                }
                callback(err, res);
            });
        this.restore = () => {
            monitor.registerResource = register;
        };
    }

    stop(): void {
        this.restore?.();
        this.restore = undefined;
    }

    /** Forgets every object: the next writes are creations in a new, empty cluster. */
    reset(): void {
        this.revision = 0;
        this.objects.clear();
    }

    private write(key: string, res: any): void {
        const struct = res.getObject();
        const state = struct.toJavaScript();
        const content = JSON.stringify(state);
        let stored = this.objects.get(key);
        if (stored === undefined || stored.content !== content) {
            this.revision++;
            const uid = stored?.uid ?? `00000000-0000-4000-8000-${String(this.objects.size + 1).padStart(12, "0")}`;
            stored = { content, resourceVersion: String(this.revision), uid };
            this.objects.set(key, stored);
        }
        state.metadata = { ...(state.metadata ?? {}), resourceVersion: stored.resourceVersion, uid: stored.uid };
        res.setObject(struct.constructor.fromJavaScript(state));
    }
}
