import * as assert from "assert";
import { zooServers } from "../../stacks/zookeeper-ensemble";
import { assertSchemaValid } from "../support/pulumi";
import { objectOf, renderStack } from "./stack-harness";

const STACK = "zookeeper-ensemble";
const MEMBERS = [0, 1, 2].map((i) => `zookeeper-${i}.zookeeper-headless.zookeeper-ensemble.svc.cluster.local`);

function env(container: any, name: string): any {
    return container.env.find((e: any) => e.name === name);
}

describe("stack zookeeper-ensemble", () => {
    it("builds the server list from the workload's podDnsNames", async () => {
        const { rec, outputs } = await renderStack(STACK);
        assertSchemaValid(rec);
        assert.deepStrictEqual(outputs.podDnsNames, MEMBERS);
        const container = objectOf(rec, "kubernetes:apps/v1:StatefulSet", "zookeeper").spec.template.spec.containers[0];
        assert.deepStrictEqual(env(container, "ZOO_SERVERS"), { name: "ZOO_SERVERS", value: zooServers(outputs.podDnsNames) });
        assert.strictEqual(
            env(container, "ZOO_SERVERS").value,
            MEMBERS.map((dns, i) => `server.${i + 1}=${dns}:2888:3888;2181`).join(" "),
        );
        assert.strictEqual(outputs.connectString, MEMBERS.map((dns) => `${dns}:2181`).join(","));
    });

    it("starts members in parallel, with ids 1..3 from the ordinal", async () => {
        const { rec } = await renderStack(STACK);
        const spec = objectOf(rec, "kubernetes:apps/v1:StatefulSet", "zookeeper").spec;
        assert.strictEqual(spec.podManagementPolicy, "Parallel");
        assert.strictEqual(spec.replicas, 3);
        const [ordinal] = spec.template.spec.initContainers;
        assert.strictEqual(ordinal.name, "pod-ordinal");
        assert.match(ordinal.command.join(" "), /\/var\/run\/pod-ordinal\/myid/);
        const container = spec.template.spec.containers[0];
        assert.deepStrictEqual(env(container, "ZK_ORDINAL"), { name: "ZK_ORDINAL", valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } } });
        assert.deepStrictEqual(container.command, ["sh", "-c", 'ZOO_MY_ID="$(cat /var/run/pod-ordinal/myid)" exec /docker-entrypoint.sh zkServer.sh start-foreground']);
    });

    it("keeps data and transaction log on gp3 volumes, one budget, required zone spread", async () => {
        const { rec, outputs } = await renderStack(STACK);
        const spec = objectOf(rec, "kubernetes:apps/v1:StatefulSet", "zookeeper").spec;
        assert.deepStrictEqual(
            spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.storageClassName, t.spec.resources.requests.storage]),
            [
                ["data", "zookeeper-gp3", "10Gi"],
                ["datalog", "zookeeper-gp3", "10Gi"],
            ],
        );
        assert.strictEqual(objectOf(rec, "kubernetes:storage.k8s.io/v1:StorageClass", "zookeeper-gp3").parameters.type, "gp3");
        assert.deepStrictEqual(objectOf(rec, "kubernetes:policy/v1:PodDisruptionBudget", "zookeeper").spec.maxUnavailable, 1);
        assert.deepStrictEqual(
            spec.template.spec.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable, c.maxSkew]),
            [["topology.kubernetes.io/zone", "DoNotSchedule", 1]],
        );
        assert.deepStrictEqual(outputs.claimNames, ["data-zookeeper-0", "data-zookeeper-1", "data-zookeeper-2", "datalog-zookeeper-0", "datalog-zookeeper-1", "datalog-zookeeper-2"].sort());
    });

    it("follows a larger ensemble and refuses an even one", async () => {
        const { rec, outputs } = await renderStack(STACK, { replicas: 5 });
        assertSchemaValid(rec);
        assert.strictEqual(outputs.podDnsNames.length, 5);
        assert.strictEqual(env(objectOf(rec, "kubernetes:apps/v1:StatefulSet", "zookeeper").spec.template.spec.containers[0], "ZOO_SERVERS").value, zooServers(outputs.podDnsNames));
        await assert.rejects(renderStack(STACK, { replicas: 4 }), {
            message: 'stack config "stateful-stacks:replicas" must be odd (3, 5 or 7) so the ensemble keeps a majority (got 4)',
        });
        await assert.rejects(renderStack(STACK, { replicas: 9 }), { message: 'stack config "stateful-stacks:replicas" must be a whole number from 3 to 7 (got 9)' });
    });
});
