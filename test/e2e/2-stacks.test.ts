import { strict as assert } from "assert";
import { e2e, pulumi } from "./support/context";
import { Kube, KubeObject, paths } from "./support/kube";
import { expectClaimBound, expectDeploymentLive, expectStatefulSetLive, isReady, pods } from "./support/live";
import { backendText, CONCURRENCY, DB_PASSWORD, deploy, FILE_SYSTEM_ID, outputs, pool, STACK_NAMES } from "./support/stacks";

/**
 * Every scenario stack in local mode (no AWS resources) under the real engine and the real
 * Kubernetes provider, without skip-await: `pulumi up` returns only once the provider's
 * await logic saw the StatefulSets, Deployments, DaemonSet, claims and Services ready.
 * Then the live cluster is checked (claims Bound, pods Ready, placement), and a second
 * preview finds nothing to change. The change cases (3-changes.test.ts) and `pulumi destroy`
 * (4-destroy.test.ts) run on these deployments.
 */

/** `pulumi up` ran without skip-await: no object of the stack carries the annotation, so the provider waited for each. */
function noSkipAwait(object: KubeObject): void {
    assert.equal(object.metadata.annotations?.["pulumi.com/skipAwait"], undefined, `${object.kind} ${object.metadata.name}: skip-await annotation`);
}

const VERIFY: Readonly<Record<string, (kube: Kube, out: Record<string, unknown>) => Promise<void>>> = {
    "postgres-ebs": async (kube, out) => {
        const ns = "postgres-ebs";
        const fast = await kube.must(paths.storageClass("postgres-fast"));
        assert.equal(fast.provisioner, "ebs.csi.aws.com");
        assert.equal(fast.reclaimPolicy, "Retain");
        assert.equal(fast.volumeBindingMode, "WaitForFirstConsumer");
        assert.equal(fast.allowVolumeExpansion, true);
        assert.equal(fast.parameters.type, "gp3");
        // IOPS and throughput come from the VolumeAttributesClass on the claims.
        assert.equal(fast.parameters.iops, undefined);
        const performance = await kube.must("/apis/storage.k8s.io/v1/volumeattributesclasses/postgres-fast-gp3-6000iops-250mibps");
        assert.deepEqual([performance.driverName, performance.parameters], ["ebs.csi.aws.com", { iops: "6000", throughput: "250", type: "gp3" }]);
        assert.equal(out.fastVolumeAttributesClassName, "postgres-fast-gp3-6000iops-250mibps");
        assert.equal(fast.parameters.encrypted, "true");
        assert.equal(fast.parameters.kmsKeyId, undefined, "local mode creates no KMS key");
        assert.equal((await kube.must(paths.storageClass("postgres-slow"))).parameters.type, "st1");
        const secret = await kube.must(paths.core(ns, "secrets", "postgres-credentials"));
        assert.equal(Buffer.from(secret.data.password, "base64").toString("utf8"), DB_PASSWORD, "the Secret holds the configured password");
        const sts = await kube.must(paths.apps(ns, "statefulsets", "postgres"));
        noSkipAwait(sts);
        assert.equal(sts.spec.replicas, 1);
        assert.equal(sts.spec.serviceName, "postgres-headless");
        assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
        assert.equal(sts.spec.template.spec.containers[0].image, "postgres:16.4");
        assert.equal(sts.spec.template.spec.securityContext.runAsNonRoot, true);
        await expectStatefulSetLive(kube, ns, "postgres", [{ name: "data", size: "50Gi", storageClass: "postgres-fast" }]);
        const backups = await kube.must(paths.core(ns, "persistentvolumeclaims", "postgres-backups"));
        assert.equal(backups.spec.storageClassName, "postgres-slow");
        assert.equal(backups.spec.resources.requests.storage, "125Gi");
        // WaitForFirstConsumer and consumed only by the nightly CronJob: no node chosen yet,
        // so nothing provisioned; the provider's await accepts Pending for such a class.
        assert.equal(backups.status.phase, "Pending");
        assert.equal(backups.metadata.annotations?.["volume.kubernetes.io/selected-node"], undefined);
        assert.equal((await kube.must(paths.batch(ns, "cronjobs", "postgres-backup"))).spec.schedule, "0 3 * * *");
        assert.deepEqual(out.claimNames, ["data-postgres-0"]);
        assert.equal(out.volumeSnapshotClassName, null, "local mode creates no snapshot class");
    },
    "zookeeper-ensemble": async (kube, out) => {
        const ns = "zookeeper-ensemble";
        assert.equal((await kube.must(paths.storageClass("zookeeper-gp3"))).parameters.type, "gp3");
        const sts = await kube.must(paths.apps(ns, "statefulsets", "zookeeper"));
        noSkipAwait(sts);
        assert.equal(sts.spec.replicas, 3);
        assert.equal(sts.spec.podManagementPolicy, "Parallel");
        const servers = (sts.spec.template.spec.containers[0].env as { name: string; value?: string }[]).find((e) => e.name === "ZOO_SERVERS");
        assert.match(servers?.value ?? "", /^server\.1=zookeeper-0\.zookeeper-headless\.zookeeper-ensemble\.svc\.cluster\.local:2888:3888;2181 /);
        const pdb = await kube.must(paths.policy(ns, "poddisruptionbudgets", "zookeeper"));
        assert.equal(pdb.spec.maxUnavailable, 1);
        const zones = await expectStatefulSetLive(kube, ns, "zookeeper", [
            { name: "data", size: "10Gi", storageClass: "zookeeper-gp3" },
            { name: "datalog", size: "10Gi", storageClass: "zookeeper-gp3" },
        ]);
        assert.equal(new Set(zones).size, 3, `required zone spread: members in distinct zones (${zones.join(", ")})`);
        assert.equal((out.claimNames as string[]).length, 6);
    },
    "shared-content-efs": async (kube, out) => {
        const ns = "shared-content-efs";
        const sc = await kube.must(paths.storageClass("shared-content-efs"));
        assert.equal(sc.provisioner, "efs.csi.aws.com");
        assert.equal(sc.parameters.fileSystemId, FILE_SYSTEM_ID);
        assert.equal(sc.reclaimPolicy, "Retain");
        const claim = await expectClaimBound(kube, ns, "content", "shared-content-efs", "100Gi");
        assert.deepEqual(claim.spec.accessModes, ["ReadWriteMany"]);
        assert.match((await kube.must(paths.pv(claim.spec.volumeName))).spec.csi.volumeHandle, new RegExp(`^${FILE_SYSTEM_ID}::fsap-`));
        const web = await kube.must(paths.apps(ns, "deployments", "web"));
        noSkipAwait(web);
        assert.equal(web.spec.replicas, 2);
        assert.equal(web.spec.template.spec.volumes[0].persistentVolumeClaim.claimName, "content");
        assert.equal((await kube.must(paths.core(ns, "services", "web"))).spec.ports[0].port, 80);
        assert.equal(out.fileSystemId, FILE_SYSTEM_ID);
        await expectDeploymentLive(kube, ns, "web");
    },
    "external-database": async (kube, out) => {
        const ns = "external-database";
        const configMap = await kube.must(paths.core(ns, "configmaps", out.configMapName as string));
        assert.deepEqual(configMap.data, { ENGINE: "postgresql", HOSTS: "orders.cluster-c9akciq32.us-east-1.rds.amazonaws.com", NAME: "orders", PORT: "5432" });
        const secret = await kube.must(paths.core(ns, "secrets", out.secretName as string));
        assert.ok(Object.values(secret.data as Record<string, string>).some((v) => Buffer.from(v, "base64").toString("utf8") === DB_PASSWORD), "the Secret holds the configured password");
        const service = await kube.must(paths.core(ns, "services", "orders-db"));
        assert.equal(service.spec.type, "ExternalName");
        assert.equal(service.spec.externalName, "orders.cluster-c9akciq32.us-east-1.rds.amazonaws.com");
        const app = await kube.must(paths.apps(ns, "deployments", "orders-api"));
        noSkipAwait(app);
        assert.equal(app.spec.replicas, 2);
        assert.equal(app.spec.template.spec.initContainers.length, 1, "the wait-for-store init container");
        await expectDeploymentLive(kube, ns, "orders-api");
    },
    "replicated-cache": async (kube, out) => {
        const ns = "replicated-cache";
        const cache = await kube.must(paths.apps(ns, "deployments", out.deploymentName as string));
        noSkipAwait(cache);
        assert.equal(cache.spec.replicas, 3);
        assert.match(cache.spec.template.spec.containers[0].image, /^memcached:/);
        assert.ok(cache.spec.template.spec.affinity.podAntiAffinity, "replicas on different nodes");
        await kube.must(paths.core(ns, "services", out.serviceName as string));
        const running = await expectDeploymentLive(kube, ns, out.deploymentName as string);
        assert.equal(new Set(running.map((p) => p.spec.nodeName)).size, running.length, "required host anti-affinity: one replica per node");
        const pdbs = (await kube.must(paths.policy(ns, "poddisruptionbudgets"))).items as KubeObject[];
        assert.equal(pdbs.length, 1);
    },
    "node-local-store": async (kube, out) => {
        const ns = "node-local-store";
        const ds = await kube.must(paths.apps(ns, "daemonsets", out.daemonSetName as string));
        noSkipAwait(ds);
        assert.deepEqual(ds.spec.template.spec.nodeSelector, { "stateful-stacks.io/storage": "local" });
        const hostPath = (ds.spec.template.spec.volumes as KubeObject[]).find((v) => v.hostPath)?.hostPath.path;
        assert.equal(hostPath, out.hostPath);
        const sc = await kube.must(paths.storageClass("node-local"));
        assert.equal(sc.provisioner, "kubernetes.io/no-provisioner");
        assert.equal(sc.volumeBindingMode, "WaitForFirstConsumer");
        await kube.must(paths.core(ns, "services", out.headlessServiceName as string));
        const nodes = (await kube.must(paths.nodes())).items as KubeObject[];
        const labelled = nodes.filter((n) => n.metadata.labels["stateful-stacks.io/storage"] === "local").map((n) => n.metadata.name as string).sort();
        assert.ok(labelled.length > 0 && labelled.length < nodes.length, "some nodes, not all, are storage nodes");
        assert.equal(ds.status.desiredNumberScheduled, labelled.length, "one pod per storage node");
        assert.equal(ds.status.numberReady, labelled.length, "every pod Ready");
        const placed = (await pods(kube, ns)).filter((p) => p.metadata.ownerReferences?.[0]?.kind === "DaemonSet");
        assert.ok(placed.every(isReady), "DaemonSet pods Running and Ready");
        assert.deepEqual(placed.map((p) => p.spec.nodeName as string).sort(), labelled, "the DaemonSet runs only on the labelled (tainted) nodes");
    },
};

describe("e2e: scenario stacks in local mode", function () {
    before(async function () {
        const started = Date.now();
        await pool(STACK_NAMES, CONCURRENCY, deploy);
        console.log(`      (${STACK_NAMES.length} stacks up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });

    for (const stack of STACK_NAMES) {
        it(`${stack}: pulumi up created the objects, with the expected specs`, async () => {
            const { kube } = e2e();
            const namespace = await kube.must(paths.namespace(stack));
            assert.equal(namespace.metadata.labels["pod-security.kubernetes.io/enforce"], stack === "node-local-store" ? "privileged" : "restricted");
            await VERIFY[stack](kube, await outputs(stack));
        });
    }

    it("every stack: a second preview finds nothing to change (--expect-no-changes)", async () => {
        await pool(STACK_NAMES, CONCURRENCY, (stack) => pulumi(["preview", "--expect-no-changes", "-s", stack]));
    });

    it("the state holds the password only encrypted", async () => {
        for (const stack of ["postgres-ebs", "external-database"]) {
            const state = (await pulumi(["stack", "export", "-s", stack])).stdout;
            assert.ok(!state.includes(DB_PASSWORD), `${stack}: the password appears in plain text in the exported state`);
            assert.ok(state.includes("4dabf18193072939515e22adb298388d"), `${stack}: no secret in the state at all`);
        }
        assert.ok(!backendText().includes(DB_PASSWORD), "the password appears in plain text in the backend's files");
    });
});
