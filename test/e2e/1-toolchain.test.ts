import { strict as assert } from "assert";
import { e2e, pulumi } from "./support/context";

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
});
