import * as assert from "assert";
import { assertSchemaValid } from "../support/pulumi";
import { objectOf, renderStack, typeCounts } from "./stack-harness";

const STACK = "replicated-cache";

describe("stack replicated-cache", () => {
    it("runs 3 memcached replicas on separate hosts behind one Service, without volumes", async () => {
        const { rec, outputs } = await renderStack(STACK);
        assertSchemaValid(rec);
        const spec = objectOf(rec, "kubernetes:apps/v1:Deployment", "cache").spec;
        assert.strictEqual(spec.replicas, 3);
        assert.match(spec.template.spec.containers[0].image, /^memcached:/);
        assert.strictEqual(spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey, "kubernetes.io/hostname");
        assert.ok((spec.template.spec.volumes ?? []).every((v: any) => v.persistentVolumeClaim === undefined));
        assert.deepStrictEqual(typeCounts(rec), {
            "kubernetes:apps/v1:Deployment": 1,
            "kubernetes:core/v1:Namespace": 1,
            "kubernetes:core/v1:Service": 1,
            "kubernetes:policy/v1:PodDisruptionBudget": 1,
            "pulumi:providers:kubernetes": 1,
            "stateful-stacks:workload:ReplicatedCache": 1,
        });
        assert.strictEqual(outputs.serviceDnsName, "cache.replicated-cache.svc.cluster.local");
        assert.strictEqual(outputs.port, 11211);
    });

    it("switches to redis and refuses an unknown engine", async () => {
        const { rec, outputs } = await renderStack(STACK, { cacheEngine: "redis" });
        assertSchemaValid(rec);
        assert.match(objectOf(rec, "kubernetes:apps/v1:Deployment", "cache").spec.template.spec.containers[0].image, /^redis:/);
        assert.strictEqual(outputs.port, 6379);
        await assert.rejects(renderStack(STACK, { cacheEngine: "hazelcast" }), { message: 'stack config "stateful-stacks:cacheEngine" must be one of memcached, redis (got "hazelcast")' });
    });

    it("with skipAwait passes it to the cache: Deployment and Service annotated, the budget not", async () => {
        const { rec } = await renderStack(STACK, { localMode: true, skipAwait: true });
        assertSchemaValid(rec);
        assert.strictEqual(objectOf(rec, "kubernetes:apps/v1:Deployment", "cache").metadata.annotations["pulumi.com/skipAwait"], "true");
        assert.strictEqual(objectOf(rec, "kubernetes:core/v1:Service", "cache").metadata.annotations["pulumi.com/skipAwait"], "true");
        assert.strictEqual(objectOf(rec, "kubernetes:policy/v1:PodDisruptionBudget", "cache-pdb").metadata.annotations, undefined);
        const { rec: remote } = await renderStack(STACK, { localMode: true });
        assert.strictEqual(objectOf(remote, "kubernetes:apps/v1:Deployment", "cache").metadata.annotations, undefined);
    });
});
