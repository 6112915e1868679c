import * as fs from "fs";
import { e2e, pulumi, stackFile } from "./context";

/**
 * The password the tier sets with `--secret` on the stacks that take one. A marker, not a
 * credential: the tests assert that it appears nowhere in state or preview documents.
 */
export const DB_PASSWORD = "e2e-Canary-Pw-9f3c71d2";

/** The existing EFS file system id the shared-content stack uses in local mode (never checked by the API server). */
export const FILE_SYSTEM_ID = "fs-0a1b2c3d4e5f60718";

/** How each scenario stack is configured for local mode, on top of its stacks/Pulumi.<stack>.yaml. */
export const STACKS: Readonly<Record<string, { readonly config: Readonly<Record<string, string>>; readonly secrets: Readonly<Record<string, string>> }>> = {
    "external-database": { config: {}, secrets: { dbPassword: DB_PASSWORD } },
    "node-local-store": { config: {}, secrets: {} },
    "postgres-ebs": { config: {}, secrets: { dbPassword: DB_PASSWORD } },
    "replicated-cache": { config: {}, secrets: {} },
    "shared-content-efs": { config: { fileSystemId: FILE_SYSTEM_ID }, secrets: {} },
    "zookeeper-ensemble": { config: {}, secrets: {} },
};

export const STACK_NAMES = Object.keys(STACKS).sort();

/** `pulumi config set-all` arguments for project keys (`stateful-stacks:<key>`). */
export function configArgs(config: Readonly<Record<string, string>>, secrets: Readonly<Record<string, string>> = {}): string[] {
    return [
        ...Object.entries(config).flatMap(([k, v]) => ["--plaintext", `stateful-stacks:${k}=${v}`]),
        ...Object.entries(secrets).flatMap(([k, v]) => ["--secret", `stateful-stacks:${k}=${v}`]),
    ];
}

/** Runs `work` over `items` with at most `limit` at a time; rejects with the first failure after all have settled. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results: PromiseSettledResult<R>[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await work(items[i]).then(
                (value) => ({ status: "fulfilled", value }) as const,
                (reason: unknown) => ({ status: "rejected", reason }) as const,
            );
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length) {
        throw failed.length === 1 ? failed[0].reason : new Error(failed.map((f) => String(f.reason)).join("\n\n"));
    }
    return results.map((r) => (r as PromiseFulfilledResult<R>).value);
}

/** How many CLI runs go at once (the machine may have two cores and other work). */
export const CONCURRENCY = Number(process.env.E2E_CONCURRENCY ?? 3);

const deployed = new Map<string, Promise<void>>();

/** Creates the stack in local mode and runs `pulumi up --yes` once per run (memoized). */
export function deploy(stack: string): Promise<void> {
    let done = deployed.get(stack);
    if (done === undefined) {
        done = (async () => {
            const { config, secrets } = STACKS[stack];
            await pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"]);
            await pulumi(["config", "set-all", "-s", stack, ...configArgs({ localMode: "true", ...config }, secrets)]);
            await pulumi(["up", "--yes", "--skip-preview", "-s", stack]);
        })();
        deployed.set(stack, done);
    }
    return done;
}

/** The stack's outputs, secrets shown as `[secret]`. */
export async function outputs(stack: string): Promise<Record<string, unknown>> {
    return JSON.parse((await pulumi(["stack", "output", "--json", "-s", stack])).stdout) as Record<string, unknown>;
}

/** Runs `work` with extra config set on the stack, then puts the stack's config file back as it was. */
export async function withConfig<T>(stack: string, config: Readonly<Record<string, string>>, secrets: Readonly<Record<string, string>>, work: () => Promise<T>): Promise<T> {
    const file = stackFile(stack);
    const before = fs.readFileSync(file, "utf8");
    try {
        if (Object.keys(config).length + Object.keys(secrets).length > 0) {
            await pulumi(["config", "set-all", "-s", stack, ...configArgs(config, secrets)]);
        }
        return await work();
    } finally {
        fs.writeFileSync(file, before);
    }
}

/** Every file of the state backend, concatenated (state, backups, history). */
export function backendText(): string {
    const out: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = `${dir}/${entry.name}`;
            if (entry.isDirectory()) {
                walk(full);
            } else {
                out.push(fs.readFileSync(full).toString("utf8"));
            }
        }
    };
    walk(e2e().backend);
    return out.join("\n");
}
