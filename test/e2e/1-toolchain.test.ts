import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { e2e, pulumi } from "./support/context";
import { run } from "./support/run";
import { loadToolchain, TOOLCHAIN_SH } from "./support/toolchain";

/** A stand-in for toolchain.sh that prints `stdout` and exits with `code`. */
function fakeToolchain(stdout: string, code: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stateful-stacks-e2e-fake-"));
    const script = path.join(dir, "toolchain.sh");
    fs.writeFileSync(script, `#!/bin/sh\ncat <<'EOF'\n${stdout}\nEOF\necho "toolchain: a log line" >&2\nexit ${code}\n`, { mode: 0o755 });
    return script;
}

describe("e2e: toolchain and control plane", () => {
    it("the Pulumi CLI is the pinned version, and the Kubernetes provider plugin is installed at the locked version", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const lock = require("../../package-lock.json") as { packages: Record<string, { version: string }> };
        const version = await pulumi(["version"]);
        assert.equal(version.stdout.trim(), `v${lock.packages["node_modules/@pulumi/pulumi"].version}`);
        const plugins = await pulumi(["plugin", "ls", "--json"]);
        const list = JSON.parse(plugins.stdout) as { name: string; kind: string; version: string }[];
        const kubernetes = lock.packages["node_modules/@pulumi/kubernetes"].version;
        assert.ok(
            list.some((p) => p.name === "kubernetes" && p.kind === "resource" && p.version === kubernetes),
            `plugins: ${JSON.stringify(list.map((p) => `${p.kind} ${p.name} ${p.version}`))}`,
        );
    });

    it("the API server answers with the admin certificate and has the default service account", async () => {
        const { kube } = e2e();
        const version = await kube.must("/version");
        assert.equal(version.gitVersion, "v1.34.1");
        await kube.must("/api/v1/namespaces/default/serviceaccounts/default");
    });

    it("a piece the toolchain cannot have fails the tier, naming each missing piece and why", async () => {
        const missing = "kubernetes_provider: the Go module proxy does not serve it;etcd: installing etcd-server needs root";
        const script = fakeToolchain(JSON.stringify({ PATH: "/nowhere", PULUMI_HOME: "/nowhere", STATEFUL_STACKS_E2E_MISSING: missing }), 3);
        try {
            await assert.rejects(loadToolchain(script), (e: Error) => {
                assert.match(e.message, /the e2e toolchain is incomplete, so the end-to-end tier cannot run\. Missing: kubernetes_provider: the Go module proxy does not serve it; etcd: installing etcd-server needs root\n/);
                return true;
            });
        } finally {
            fs.rmSync(path.dirname(script), { force: true, recursive: true });
        }
    });

    it("toolchain.sh --status answers at once while a build holds the lock, naming the piece being built", async () => {
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "stateful-stacks-e2e-cache-"));
        const toolchain = path.join(cache, "toolchain");
        fs.mkdirSync(path.join(toolchain, "kwok-0.8.0-0123456789ab.tmp"), { recursive: true });
        const holder = spawn("flock", [path.join(toolchain, ".lock"), "sleep", "60"], { stdio: "ignore" });
        try {
            await new Promise((r) => setTimeout(r, 500));
            const started = Date.now();
            const status = await run(TOOLCHAIN_SH, ["--status"], { env: { ...process.env, STATEFUL_STACKS_CACHE: cache }, timeoutMs: 20_000 });
            assert.equal(status.code, 0, status.stderr);
            assert.ok(Date.now() - started < 15_000, "did not wait for the lock");
            assert.match(status.stdout, /^a build is running \(lock .*\.lock held\)$/m);
            assert.match(status.stdout, /^missing pulumi \d+\.\d+\.\d+: /m);
            assert.match(status.stdout, /^language host: stand-in: .*tools\/e2e\/bin\/pulumi-language-nodejs$/m);
        } finally {
            holder.kill();
            fs.rmSync(cache, { force: true, recursive: true });
        }
    });

    it("a failed build fails the tier with the script's log", async () => {
        const script = fakeToolchain("", 1);
        try {
            await assert.rejects(loadToolchain(script), /--json failed \(exit 1\):\ntoolchain: a log line/);
        } finally {
            fs.rmSync(path.dirname(script), { force: true, recursive: true });
        }
    });
});
