import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ReplicatedCache, ReplicatedCacheArgs } from "../../components";
import { buildReplicatedCacheSpecs } from "../../components/workload/replicated-cache";
import { assertSchemaValid, expectInvalid, recorder, registrations, render, renderComponent, settle, valueOf } from "../support/pulumi";
import { assertNoSecretLeaks, guardEveryRender } from "../support/secrets";

const TYPE = "stateful-stacks:workload:ReplicatedCache";
const PARENT = `urn:pulumi:test::stateful-stacks::${TYPE}::sessions`;
const LABELS = {
    "app.kubernetes.io/component": "replicated-cache",
    "app.kubernetes.io/instance": "sessions",
    "app.kubernetes.io/managed-by": "stateful-stacks",
    "app.kubernetes.io/name": "sessions",
};

guardEveryRender();

describe("ReplicatedCache component", () => {
    before(async () => {
        await recorder();
    });

    it("renders a Deployment, a ClusterIP Service and a PDB, parented and explicitly named", async () => {
        const { component: cache, rec } = await renderComponent(() => new ReplicatedCache("sessions", { namespace: "shop", engine: "redis", memoryVolume: { sizeLimit: "32Mi" } }));
        assertSchemaValid(rec);
        assertNoSecretLeaks(rec);
        assert.deepStrictEqual(
            registrations(rec).sort(),
            [
                ["kubernetes:apps/v1:Deployment", "sessions", PARENT],
                ["kubernetes:core/v1:Service", "sessions", PARENT],
                ["kubernetes:policy/v1:PodDisruptionBudget", "sessions-pdb", PARENT],
                [TYPE, "sessions", undefined],
            ],
        );
        const specs = buildReplicatedCacheSpecs("sessions", { namespace: "shop", engine: "redis", memoryVolume: { sizeLimit: "32Mi" } });
        const deployment = rec.get("kubernetes:apps/v1:Deployment", "sessions").inputs;
        assert.deepStrictEqual(deployment.metadata, { labels: LABELS, name: "sessions", namespace: "shop" });
        assert.deepStrictEqual(deployment.spec, specs.deployment);
        assert.deepStrictEqual(rec.get("kubernetes:core/v1:Service", "sessions").inputs.spec, specs.service);
        const pdb = rec.get("kubernetes:policy/v1:PodDisruptionBudget", "sessions-pdb").inputs;
        assert.deepStrictEqual(pdb.metadata, { labels: LABELS, name: "sessions-pdb", namespace: "shop" });
        assert.deepStrictEqual(pdb.spec, { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/instance": "sessions", "app.kubernetes.io/name": "sessions" } } });
        assert.ok(!JSON.stringify(deployment).includes("persistentVolumeClaim"));
        assert.strictEqual(await valueOf(cache.serviceDnsName), "sessions.shop.svc.cluster.local");
        assert.strictEqual(await valueOf(cache.deploymentName), "sessions");
        assert.strictEqual(cache.port, 6379);
    });

    it("registers nothing for refused arguments and names every property", async () => {
        const rec = await recorder();
        rec.reset();
        const { message, paths } = expectInvalid(() => new ReplicatedCache("sessions", { namespace: "shop", replicas: 1, memory: "1GB", zoneSpread: "sometimes" as never }));
        assert.deepStrictEqual(paths, ["replicas", "memory", "zoneSpread"]);
        assert.ok(message.startsWith('ReplicatedCache "sessions" has 3 invalid arguments:'));
        assert.deepStrictEqual(rec.resources, []);
    });

    it("with skipAwait annotates the Deployment and the Service, never the PodDisruptionBudget", async () => {
        const rec = await render(() => new ReplicatedCache("sessions", { namespace: "shop", skipAwait: true }));
        assertSchemaValid(rec);
        const skip = { "pulumi.com/skipAwait": "true" };
        assert.deepStrictEqual(rec.get("kubernetes:apps/v1:Deployment", "sessions").inputs.metadata, { annotations: skip, labels: LABELS, name: "sessions", namespace: "shop" });
        assert.deepStrictEqual(rec.get("kubernetes:core/v1:Service", "sessions").inputs.metadata, { annotations: skip, labels: LABELS, name: "sessions", namespace: "shop" });
        assert.deepStrictEqual(rec.get("kubernetes:policy/v1:PodDisruptionBudget", "sessions-pdb").inputs.metadata, { labels: LABELS, name: "sessions-pdb", namespace: "shop" });
        const off = await render(() => new ReplicatedCache("sessions", { namespace: "shop", skipAwait: false }));
        assert.deepStrictEqual(off.get("kubernetes:apps/v1:Deployment", "sessions").inputs.metadata, { labels: LABELS, name: "sessions", namespace: "shop" });
    });

    it("registers nothing for whole arguments given as an Output, or an engine named like an Object.prototype member", async () => {
        const rec = await recorder();
        rec.reset();
        const computed = pulumi.output({ namespace: "shop" }) as unknown as ReplicatedCacheArgs;
        assert.deepStrictEqual(expectInvalid(() => new ReplicatedCache("sessions", computed)).paths, ["args"]);
        assert.deepStrictEqual(expectInvalid(() => new ReplicatedCache("sessions", { namespace: "shop", engine: "constructor" as never })).paths, ["engine"]);
        await settle();
        assert.deepStrictEqual(rec.resources, []);
    });

    it("refuses a throwing getter at its path instead of throwing it", async () => {
        const rec = await recorder();
        rec.reset();
        const args = { namespace: "shop" };
        Object.defineProperty(args, "replicas", { enumerable: true, get: () => { throw new Error("not now"); } });
        const { message, paths } = expectInvalid(() => new ReplicatedCache("sessions", args));
        assert.deepStrictEqual(paths, ["replicas"]);
        assert.strictEqual(message, 'ReplicatedCache "sessions" has 1 invalid argument:\n  - replicas: could not be read (a getter threw) (got undefined)');
        await settle();
        assert.deepStrictEqual(rec.resources, []);
    });
});
