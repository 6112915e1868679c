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

/** A minimal read-only client for the API server, with the admin client certificate of a kubeconfig (no kubectl here). */
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
    get(path: string): Promise<KubeObject | undefined> {
        return new Promise((resolve, reject) => {
            const request = https.request(
                { agent: this.agent, headers: { accept: "application/json" }, hostname: this.server.hostname, method: "GET", path, port: this.server.port },
                (response) => {
                    const chunks: Buffer[] = [];
                    response.on("data", (c: Buffer) => chunks.push(c));
                    response.on("end", () => {
                        const body = Buffer.concat(chunks).toString("utf8");
                        if (response.statusCode === 404) {
                            resolve(undefined);
                        } else if (response.statusCode !== 200) {
                            reject(new Error(`GET ${path}: HTTP ${response.statusCode}: ${body}`));
                        } else {
                            resolve(JSON.parse(body) as KubeObject);
                        }
                    });
                },
            );
            request.on("error", reject);
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
};
