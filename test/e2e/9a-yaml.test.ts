import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { e2e, pulumi } from "./support/context";
import { paths } from "./support/kube";
import { expectStatefulSetLive } from "./support/live";
import { run, tail } from "./support/run";
import { DB_PASSWORD } from "./support/stacks";
import { REPO } from "./support/toolchain";

/**
 * The components from a YAML program through the package's component provider
 * (provider/PulumiPlugin.yaml, `runtime: nodejs`): the real CLI asks the Node.js language
 * host to run the plugin from source (RunPlugin), @pulumi/pulumi's run-plugin serves
 * components/provider/, and Pulumi's YAML language host (built from the Go module proxy
 * by tools/e2e/toolchain.sh) runs examples/yaml-stateful against the tier's cluster:
 * `pulumi up` returns once the StatefulSet is ready, and the claims are Bound, the pods
 * Ready. Bad input is refused with every problem named and nothing created. Brings up and
 * destroys its own stacks (5-destroy ran before this file).
 */

const PROVIDER_DIR = path.join(REPO, "provider");
const EXAMPLE = path.join(REPO, "examples", "yaml-stateful");
const REFUSED = path.join(REPO, "test", "fixtures", "yaml-refused");

/** A copy of a YAML project in the run's folder, its `packages` entry pointing at this repository's provider/. */
function copyYamlProject(source: string, name: string): string {
    const dir = path.join(e2e().root, name);
    fs.mkdirSync(dir, { recursive: true });
    const text = fs.readFileSync(path.join(source, "Pulumi.yaml"), "utf8");
    const rewritten = text.replace(/^( {2}stateful-stacks: ).*$/m, `$1${PROVIDER_DIR}`);
    assert.notEqual(rewritten, text, `${source}/Pulumi.yaml has a packages entry for stateful-stacks`);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), rewritten);
    return dir;
}

describe("YAML program through the component provider (examples/yaml-stateful)", function () {
    this.timeout(20 * 60_000);
    let project: string;

    before(async () => {
        // The plugin runs the built provider-facing classes (provider/package.json `main`).
        const build = await run("npm", ["run", "build"], { cwd: REPO, timeoutMs: 600_000 });
        assert.equal(build.code, 0, `npm run build\n${tail(build.stderr)}`);
        project = copyYamlProject(EXAMPLE, "yaml-stateful");
        await pulumi(["stack", "init", "yaml"], { cwd: project });
        await pulumi(["config", "set", "--secret", "dbPassword", DB_PASSWORD, "-s", "yaml"], { cwd: project });
    });

    after(async () => {
        if (project === undefined) return;
        await pulumi(["destroy", "--yes", "--skip-preview", "-s", "yaml"], { cwd: project, expect: [0, 255] });
        await pulumi(["stack", "rm", "--yes", "--force", "yaml"], { cwd: project, expect: [0, 255] });
    });

    it("`pulumi package get-schema provider/` (the real CLI, RunPlugin on the stand-in host) serves the committed schema", async () => {
        const result = await pulumi(["package", "get-schema", PROVIDER_DIR]);
        const served = JSON.parse(result.stdout) as { name: string; version: string; resources: Record<string, { inputProperties: object; properties: object; description: string }> };
        const committed = JSON.parse(fs.readFileSync(path.join(REPO, "schema", "stateful-stacks.json"), "utf8")) as typeof served;
        assert.deepEqual([served.name, served.version], [committed.name, committed.version]);
        const shape = (s: typeof served) =>
            Object.fromEntries(
                Object.entries(s.resources).map(([token, r]) => [token, { description: r.description, inputs: Object.keys(r.inputProperties).sort(), outputs: Object.keys(r.properties).sort() }]),
            );
        assert.deepEqual(shape(served), shape(committed));
    });

    it("`pulumi up` creates the StorageClass, the store and the StatefulWorkload: claims Bound, pods Ready", async () => {
        await pulumi(["up", "--yes", "--skip-preview", "-s", "yaml"], { cwd: project });
        const { kube } = e2e();
        const sc = await kube.must(paths.storageClass("yaml-fast"));
        assert.equal(sc.provisioner, "ebs.csi.aws.com");
        assert.equal(sc.reclaimPolicy, "Retain");
        assert.equal(sc.volumeBindingMode, "WaitForFirstConsumer");
        assert.equal(sc.allowVolumeExpansion, true);
        assert.deepEqual([sc.parameters.type, sc.parameters.throughput, sc.parameters.encrypted], ["gp3", "250", "true"]);
        const zones = await expectStatefulSetLive(kube, "yaml-shop", "db", [{ name: "data", storageClass: "yaml-fast", size: "10Gi" }]);
        assert.equal(zones.length, 2);

        const out = JSON.parse((await pulumi(["stack", "output", "--json", "--show-secrets", "-s", "yaml"], { cwd: project })).stdout) as Record<string, unknown>;
        assert.deepEqual(out.claimNames, ["data-db-0", "data-db-1"]);
        assert.equal(out.statefulSetName, "db");
        assert.equal(out.storageClassName, "yaml-fast");
        const secret = await kube.must(paths.core("yaml-shop", "secrets", out.storeSecretName as string));
        assert.equal(Buffer.from(secret.data.password, "base64").toString("utf8"), DB_PASSWORD, "the store's Secret holds the configured password");
        await kube.must(paths.core("yaml-shop", "configmaps", out.storeConfigMapName as string));
        // The store is wired into the pods as in TypeScript: its Secret is referenced by the container.
        const sts = await kube.must(paths.apps("yaml-shop", "statefulsets", "db"));
        assert.ok(JSON.stringify(sts.spec.template.spec.containers[0]).includes(out.storeSecretName as string), "the container reads the store's Secret");

        // The state holds the provider-facing components with the library's as children.
        const exported = JSON.parse((await pulumi(["stack", "export", "-s", "yaml"], { cwd: project })).stdout) as { deployment: { resources: { type: string; urn: string }[] } };
        const types = exported.deployment.resources.map((r) => r.type);
        for (const type of ["stateful-stacks:index:EbsStorageClass", "stateful-stacks:storage:EbsStorageClass", "stateful-stacks:index:StatefulWorkload", "stateful-stacks:workload:StatefulWorkload", "stateful-stacks:index:ExternalStore"]) {
            assert.ok(types.includes(type), `the state has a ${type} (${types.join(", ")})`);
        }

        const again = await pulumi(["preview", "--json", "-s", "yaml"], { cwd: project });
        const steps = (JSON.parse(again.stdout) as { steps?: { op: string; urn: string }[] }).steps ?? [];
        assert.deepEqual(steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn}`), [], "a second preview changes nothing");
    });

    it("`pulumi destroy` keeps the claims and their volumes (Retain, the namespace retained on delete)", async () => {
        const { kube } = e2e();
        const before = await Promise.all(["data-db-0", "data-db-1"].map((c) => kube.must(paths.core("yaml-shop", "persistentvolumeclaims", c))));
        await pulumi(["destroy", "--yes", "--skip-preview", "-s", "yaml"], { cwd: project });
        assert.equal(await kube.get(paths.apps("yaml-shop", "statefulsets", "db")), undefined, "the StatefulSet is gone");
        assert.equal(await kube.get(paths.storageClass("yaml-fast")), undefined, "the StorageClass is gone (it holds no data)");
        for (const claim of before) {
            const after = await kube.must(paths.core("yaml-shop", "persistentvolumeclaims", claim.metadata.name));
            assert.deepEqual([after.metadata.uid, after.status.phase, after.spec.volumeName], [claim.metadata.uid, "Bound", claim.spec.volumeName], `${claim.metadata.name} survives with its volume`);
        }
    });

    it("bad input is refused from YAML with every problem named, and nothing is created", async () => {
        const refused = copyYamlProject(REFUSED, "yaml-refused");
        await pulumi(["stack", "init", "refused"], { cwd: refused });
        try {
            const result = await pulumi(["up", "--yes", "--skip-preview", "-s", "refused"], { cwd: refused, expect: [1] });
            const text = `${result.stdout}\n${result.stderr}`;
            for (const line of [
                'EbsStorageClass "broken-class" has 2 invalid arguments:',
                "  - iops: must be an integer from 3000 to 80000 for gp3 volumes (got 100)",
                '  - tags["aws:owner"]: must have a key of 1 to 128 characters that contains no "=" and does not start with "aws:" (got "aws:owner")',
                'StatefulWorkload "broken-db" has 2 invalid arguments:',
                '  - externalStores[0]: the name of an ExternalStore of this program constructed before this workload (YAML: list it in options.dependsOn) (got "nope")',
                '  - volumes[0].size: must be a Kubernetes quantity such as "20Gi", "500Mi" or "1Ti" (got "lots")',
                "- property volumes[0].size with value '{lots}' has a problem:",
            ]) {
                assert.ok(text.includes(line), `the output names the problem: ${line}\n--- output\n${text}`);
            }
            const exported = JSON.parse((await pulumi(["stack", "export", "-s", "refused"], { cwd: refused })).stdout) as { deployment: { resources?: { type: string }[] } };
            const created = (exported.deployment.resources ?? []).map((r) => r.type).filter((t) => !t.startsWith("pulumi:"));
            assert.deepEqual(created, [], "nothing but the stack and its providers is in the state");
            assert.equal(await e2e().kube.get(paths.storageClass("yaml-broken")), undefined, "no StorageClass was created");
        } finally {
            await pulumi(["stack", "rm", "--yes", "--force", "refused"], { cwd: refused, expect: [0, 255] });
        }
    });
});
