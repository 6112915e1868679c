import * as fs from "fs";
import * as https from "https";
import * as yaml from "js-yaml";

interface KubeconfigFile {
    clusters: { cluster: { server: string; "certificate-authority": string } }[];
    users: { user: { "client-certificate": string; "client-key": string } }[];
}

/** A Kubernetes object as the API returns it (the fields the tests read are typed loosely). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeObject = Record<string, any>;

/** A minimal client for the API server, with the admin client certificate of a kubeconfig (no kubectl here). */
export class Kube {
    private readonly server: URL;
    private readonly agent: https.Agent;

    constructor(kubeconfigPath: string) {
        const config = yaml.load(fs.readFileSync(kubeconfigPath, "utf8")) as KubeconfigFile;
        const cluster = config.clusters[0].cluster;
        const user = config.users[0].user;
        this.server = new URL(cluster.server);
        this.agent = new https.Agent({
            ca: fs.readFileSync(cluster["certificate-authority"]),
            cert: fs.readFileSync(user["client-certificate"]),
            key: fs.readFileSync(user["client-key"]),
            keepAlive: false,
        });
    }

    /** GET a path; undefined on 404. */
    async get(path: string): Promise<KubeObject | undefined> {
        const { status, body } = await this.request("GET", path);
        if (status === 404) {
            return undefined;
        }
        if (status !== 200) {
            throw new Error(`GET ${path}: HTTP ${status}: ${body}`);
        }
        return JSON.parse(body) as KubeObject;
    }

    /** POST an object to a collection path; resolves with the created object. */
    async create(path: string, object: KubeObject): Promise<KubeObject> {
        const { status, body } = await this.request("POST", path, JSON.stringify(object), "application/json");
        if (status !== 201 && status !== 200) {
            throw new Error(`POST ${path}: HTTP ${status}: ${body}`);
        }
        return JSON.parse(body) as KubeObject;
    }

    /** A JSON merge patch. */
    async patch(path: string, patch: KubeObject): Promise<KubeObject> {
        const { status, body } = await this.request("PATCH", path, JSON.stringify(patch), "application/merge-patch+json");
        if (status !== 200) {
            throw new Error(`PATCH ${path}: HTTP ${status}: ${body}`);
        }
        return JSON.parse(body) as KubeObject;
    }

    /** DELETE a path (background propagation); a 404 is fine. */
    async delete(path: string): Promise<void> {
        const { status, body } = await this.request("DELETE", path, JSON.stringify({ propagationPolicy: "Background" }), "application/json");
        if (status !== 200 && status !== 202 && status !== 404) {
            throw new Error(`DELETE ${path}: HTTP ${status}: ${body}`);
        }
    }

    private request(method: string, path: string, body?: string, contentType?: string): Promise<{ status: number; body: string }> {
        return new Promise((resolve, reject) => {
            const headers: Record<string, string | number> = { accept: "application/json" };
            if (body !== undefined) {
                headers["content-type"] = contentType ?? "application/json";
                headers["content-length"] = Buffer.byteLength(body);
            }
            const request = https.request(
                { agent: this.agent, headers, hostname: this.server.hostname, method, path, port: this.server.port, timeout: 15_000 },
                (response) => {
                    const chunks: Buffer[] = [];
                    response.on("data", (c: Buffer) => chunks.push(c));
                    response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
                },
            );
            request.on("timeout", () => request.destroy(new Error(`${method} ${path}: timed out`)));
            request.on("error", reject);
            if (body !== undefined) {
                request.write(body);
            }
            request.end();
        });
    }

    /** GET a path that must exist. */
    async must(path: string): Promise<KubeObject> {
        const object = await this.get(path);
        if (object === undefined) {
            throw new Error(`expected ${path} to exist in the API server (404)`);
        }
        return object;
    }

    /** The names of the items of a list path, sorted. */
    async names(path: string): Promise<string[]> {
        const list = await this.must(path);
        return (list.items as KubeObject[]).map((i) => i.metadata.name as string).sort();
    }

    /** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with the last state. */
    async eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
        const deadline = Date.now() + timeoutMs;
        let last: unknown;
        for (;;) {
            try {
                const value = await probe();
                if (value !== undefined) {
                    return value;
                }
            } catch (e) {
                last = e;
            }
            if (Date.now() > deadline) {
                throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${String(last)}` : ""}`);
            }
            await new Promise((r) => setTimeout(r, 500));
        }
    }
}

/** Paths of namespaced objects. */
export const paths = {
    namespace: (name: string) => `/api/v1/namespaces/${name}`,
    core: (namespace: string, resource: string, name = "") => `/api/v1/namespaces/${namespace}/${resource}${name ? `/${name}` : ""}`,
    apps: (namespace: string, resource: string, name = "") => `/apis/apps/v1/namespaces/${namespace}/${resource}${name ? `/${name}` : ""}`,
    batch: (namespace: string, resource: string, name = "") => `/apis/batch/v1/namespaces/${namespace}/${resource}${name ? `/${name}` : ""}`,
    policy: (namespace: string, resource: string, name = "") => `/apis/policy/v1/namespaces/${namespace}/${resource}${name ? `/${name}` : ""}`,
    storageClass: (name: string) => `/apis/storage.k8s.io/v1/storageclasses/${name}`,
    storageClasses: () => "/apis/storage.k8s.io/v1/storageclasses",
    pv: (name = "") => `/api/v1/persistentvolumes${name ? `/${name}` : ""}`,
    nodes: () => "/api/v1/nodes",
};
