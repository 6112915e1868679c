import { strict as assert } from "assert";
import { e2e, pulumi } from "./support/context";
import { Kube, KubeObject, paths } from "./support/kube";
import { backendText, CONCURRENCY, DB_PASSWORD, deploy, FILE_SYSTEM_ID, outputs, pool, STACK_NAMES } from "./support/stacks";

/**
 * Every scenario stack in local mode under the real engine and the real Kubernetes
 * provider: `pulumi up` creates the objects, the controllers act on them, a second preview
 * finds nothing to change. The change cases (3-changes.test.ts) and `pulumi destroy`
 * (4-destroy.test.ts) run on these deployments.
 */

/** Waits until the StatefulSet controller made pods `<sts>-0..n-1` and claims `<volume>-<sts>-<i>`; checks class and size. */
async function expectStatefulSetChildren(kube: Kube, namespace: string, sts: string, replicas: number, volumes: { name: string; storageClass: string; size: string }[]): Promise<void> {
    const wanted = Array.from({ length: replicas }, (_, i) => `${sts}-${i}`);
    await kube.eventually(`pods ${wanted.join(", ")} in ${namespace}`, async () => {
        const pods = await kube.names(paths.core(namespace, "pods"));
        return wanted.every((p) => pods.includes(p)) ? true : undefined;
    });
    for (const volume of volumes) {
        for (let i = 0; i < replicas; i++) {
            const name = `${volume.name}-${sts}-${i}`;
            const claim = await kube.eventually(`claim ${namespace}/${name}`, () => kube.get(paths.core(namespace, "persistentvolumeclaims", name)));
            assert.equal(claim.spec.storageClassName, volume.storageClass, `${name}: storage class`);
            assert.equal(claim.spec.resources.requests.storage, volume.size, `${name}: size`);
            assert.deepEqual(claim.spec.accessModes, ["ReadWriteOnce"], `${name}: access modes`);
        }
    }
    const pod = await kube.must(paths.core(namespace, "pods", `${sts}-0`));
    assert.equal(pod.metadata.ownerReferences?.[0]?.kind, "StatefulSet");
}

function hasSkipAwait(object: KubeObject): void {
    assert.equal(object.metadata.annotations?.["pulumi.com/skipAwait"], "true", `${object.kind} ${object.metadata.name}: skip-await annotation`);
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
        assert.equal(fast.parameters.iops, "6000");
        assert.equal(fast.parameters.encrypted, "true");
        assert.equal(fast.parameters.kmsKeyId, undefined, "local mode creates no KMS key");
        assert.equal((await kube.must(paths.storageClass("postgres-slow"))).parameters.type, "st1");
        const secret = await kube.must(paths.core(ns, "secrets", "postgres-credentials"));
        assert.equal(Buffer.from(secret.data.password, "base64").toString("utf8"), DB_PASSWORD, "the Secret holds the configured password");
        const sts = await kube.must(paths.apps(ns, "statefulsets", "postgres"));
        hasSkipAwait(sts);
        assert.equal(sts.spec.replicas, 1);
        assert.equal(sts.spec.serviceName, "postgres-headless");
        assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Retain" });
        assert.equal(sts.spec.template.spec.containers[0].image, "postgres:16.4");
        assert.equal(sts.spec.template.spec.securityContext.runAsNonRoot, true);
        await expectStatefulSetChildren(kube, ns, "postgres", 1, [{ name: "data", size: "50Gi", storageClass: "postgres-fast" }]);
        const backups = await kube.must(paths.core(ns, "persistentvolumeclaims", "postgres-backups"));
        assert.equal(backups.spec.storageClassName, "postgres-slow");
        assert.equal(backups.spec.resources.requests.storage, "125Gi");
        assert.equal((await kube.must(paths.batch(ns, "cronjobs", "postgres-backup"))).spec.schedule, "0 3 * * *");
        assert.deepEqual(out.claimNames, ["data-postgres-0"]);
        assert.equal(out.volumeSnapshotClassName, null, "local mode creates no snapshot class");
    },
    "zookeeper-ensemble": async (kube, out) => {
        const ns = "zookeeper-ensemble";
        assert.equal((await kube.must(paths.storageClass("zookeeper-gp3"))).parameters.type, "gp3");
        const sts = await kube.must(paths.apps(ns, "statefulsets", "zookeeper"));
        hasSkipAwait(sts);
        assert.equal(sts.spec.replicas, 3);
        assert.equal(sts.spec.podManagementPolicy, "Parallel");
        const servers = (sts.spec.template.spec.containers[0].env as { name: string; value?: string }[]).find((e) => e.name === "ZOO_SERVERS");
        assert.match(servers?.value ?? "", /^server\.1=zookeeper-0\.zookeeper-headless\.zookeeper-ensemble\.svc\.cluster\.local:2888:3888;2181 /);
        const pdb = await kube.must(paths.policy(ns, "poddisruptionbudgets", "zookeeper"));
        assert.equal(pdb.spec.maxUnavailable, 1);
        await expectStatefulSetChildren(kube, ns, "zookeeper", 3, [
            { name: "data", size: "10Gi", storageClass: "zookeeper-gp3" },
            { name: "datalog", size: "10Gi", storageClass: "zookeeper-gp3" },
        ]);
        assert.equal((out.claimNames as string[]).length, 6);
    },
    "shared-content-efs": async (kube, out) => {
        const ns = "shared-content-efs";
        const sc = await kube.must(paths.storageClass("shared-content-efs"));
        assert.equal(sc.provisioner, "efs.csi.aws.com");
        assert.equal(sc.parameters.fileSystemId, FILE_SYSTEM_ID);
        assert.equal(sc.reclaimPolicy, "Retain");
        const claim = await kube.must(paths.core(ns, "persistentvolumeclaims", "content"));
        assert.deepEqual(claim.spec.accessModes, ["ReadWriteMany"]);
        assert.equal(claim.spec.storageClassName, "shared-content-efs");
        assert.equal(claim.spec.resources.requests.storage, "100Gi");
        const web = await kube.must(paths.apps(ns, "deployments", "web"));
        hasSkipAwait(web);
        assert.equal(web.spec.replicas, 2);
        assert.equal(web.spec.template.spec.volumes[0].persistentVolumeClaim.claimName, "content");
        assert.equal((await kube.must(paths.core(ns, "services", "web"))).spec.ports[0].port, 80);
        assert.equal(out.fileSystemId, FILE_SYSTEM_ID);
        // The Deployment controller acted on it: a ReplicaSet with the wanted replicas.
        await kube.eventually("the web ReplicaSet", async () => {
            const sets = (await kube.must(paths.apps(ns, "replicasets"))).items as KubeObject[];
            return sets.find((s) => s.spec.replicas === 2);
        });
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
        hasSkipAwait(app);
        assert.equal(app.spec.replicas, 2);
        assert.equal(app.spec.template.spec.initContainers.length, 1, "the wait-for-store init container");
    },
    "replicated-cache": async (kube, out) => {
        const ns = "replicated-cache";
        const cache = await kube.must(paths.apps(ns, "deployments", out.deploymentName as string));
        hasSkipAwait(cache);
        assert.equal(cache.spec.replicas, 3);
        assert.match(cache.spec.template.spec.containers[0].image, /^memcached:/);
        assert.ok(cache.spec.template.spec.affinity.podAntiAffinity, "replicas on different nodes");
        await kube.must(paths.core(ns, "services", out.serviceName as string));
        const pdbs = (await kube.must(paths.policy(ns, "poddisruptionbudgets"))).items as KubeObject[];
        assert.equal(pdbs.length, 1);
    },
    "node-local-store": async (kube, out) => {
        const ns = "node-local-store";
        const ds = await kube.must(paths.apps(ns, "daemonsets", out.daemonSetName as string));
        hasSkipAwait(ds);
        assert.deepEqual(ds.spec.template.spec.nodeSelector, { "stateful-stacks.io/storage": "local" });
        const hostPath = (ds.spec.template.spec.volumes as KubeObject[]).find((v) => v.hostPath)?.hostPath.path;
        assert.equal(hostPath, out.hostPath);
        const sc = await kube.must(paths.storageClass("node-local"));
        assert.equal(sc.provisioner, "kubernetes.io/no-provisioner");
        assert.equal(sc.volumeBindingMode, "WaitForFirstConsumer");
        await kube.must(paths.core(ns, "services", out.headlessServiceName as string));
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
