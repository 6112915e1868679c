import { strict as assert } from "assert";
import { e2e } from "./support/context";
import { KubeObject, paths } from "./support/kube";
import { expectClaimBound, isReady } from "./support/live";

/**
 * The cluster `tools/e2e/cluster.sh start` gives: simulated nodes in three zones (kwok),
 * storage nodes labelled and tainted for the node-local scenario, and volume provisioning
 * for the provisioners the components use, through the real scheduler and PV controller.
 * Checked with objects of the test's own, before any stack runs.
 */
const NS = "e2e-cluster";
const ZONE = "topology.kubernetes.io/zone";

function pod(name: string, claim: string, extra: KubeObject = {}): KubeObject {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: NS },
        spec: {
            containers: [{ image: "busybox:1.36", name: "main", volumeMounts: [{ mountPath: "/data", name: "data" }] }],
            volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim } }],
            ...extra,
        },
    };
}

function claim(name: string, storageClass: string, size: string, accessModes = ["ReadWriteOnce"]): KubeObject {
    return { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, namespace: NS }, spec: { accessModes, resources: { requests: { storage: size } }, storageClassName: storageClass } };
}

function storageClass(name: string, provisioner: string, extra: KubeObject): KubeObject {
    return { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner, ...extra };
}

describe("e2e: the cluster (kwok nodes, volume provisioning)", function () {
    before(async function () {
        const { kube } = e2e();
        await kube.create("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
        await kube.eventually("the default service account of e2e-cluster", () => kube.get(paths.core(NS, "serviceaccounts", "default")));
        for (const sc of [
            storageClass("e2e-ebs-delete", "ebs.csi.aws.com", { allowVolumeExpansion: true, parameters: { type: "gp3" }, reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer" }),
            storageClass("e2e-ebs-retain", "ebs.csi.aws.com", { parameters: { type: "gp3" }, reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" }),
            storageClass("e2e-efs", "efs.csi.aws.com", { parameters: { fileSystemId: "fs-0e2e", provisioningMode: "efs-ap" }, reclaimPolicy: "Delete", volumeBindingMode: "Immediate" }),
            storageClass("e2e-local", "kubernetes.io/no-provisioner", { reclaimPolicy: "Retain", volumeBindingMode: "WaitForFirstConsumer" }),
        ]) {
            await kube.create(paths.storageClasses(), sc);
        }
    });

    after(async function () {
        const { kube } = e2e();
        await kube.delete(paths.namespace(NS));
        for (const sc of ["e2e-ebs-delete", "e2e-ebs-retain", "e2e-efs", "e2e-local"]) {
            await kube.delete(paths.storageClass(sc));
        }
    });

    it("has Ready simulated nodes in three zones, and storage nodes labelled and tainted for the node-local scenario", async () => {
        const nodes = (await e2e().kube.must(paths.nodes())).items as KubeObject[];
        const ready = nodes.filter((n) => (n.status.conditions as KubeObject[]).some((c) => c.type === "Ready" && c.status === "True"));
        assert.equal(ready.length, nodes.length, "every node is Ready");
        const general = nodes.filter((n) => !n.spec.taints?.length);
        assert.ok(general.length >= 3, `at least 3 untainted nodes (${general.length})`);
        assert.deepEqual([...new Set(general.map((n) => n.metadata.labels[ZONE]))].sort(), ["local-a", "local-b", "local-c"]);
        const storage = nodes.filter((n) => n.metadata.labels["stateful-stacks.io/storage"] === "local");
        assert.ok(storage.length >= 1, "storage nodes");
        for (const n of storage) {
            assert.deepEqual(
                (n.spec.taints as KubeObject[]).map((t) => `${t.key}=${t.value}:${t.effect}`),
                ["stateful-stacks.io/storage=local:NoSchedule"],
                `${n.metadata.name}: taint`,
            );
        }
    });

    it("EBS, WaitForFirstConsumer: the scheduler selects a node, the PV controller hands the claim over, a volume in the node's zone is bound; growing the claim expands it; deleting it deletes a Delete-class volume", async () => {
        const { kube } = e2e();
        await kube.create(paths.core(NS, "persistentvolumeclaims"), claim("ebs", "e2e-ebs-delete", "1Gi"));
        // No consumer yet: nothing is provisioned.
        await new Promise((r) => setTimeout(r, 1500));
        const waiting = await kube.must(paths.core(NS, "persistentvolumeclaims", "ebs"));
        assert.equal(waiting.status.phase, "Pending");
        assert.equal(waiting.metadata.annotations?.["volume.kubernetes.io/selected-node"], undefined);
        await kube.create(paths.core(NS, "pods"), pod("ebs", "ebs"));
        const running = await kube.eventually("pod ebs Ready", async () => {
            const p = await kube.get(paths.core(NS, "pods", "ebs"));
            return p && isReady(p) ? p : undefined;
        });
        const bound = await expectClaimBound(kube, NS, "ebs", "e2e-ebs-delete", "1Gi");
        assert.equal(bound.metadata.annotations["volume.kubernetes.io/selected-node"], running.spec.nodeName, "the scheduler's choice");
        assert.equal(bound.metadata.annotations["volume.kubernetes.io/storage-provisioner"], "ebs.csi.aws.com", "the PV controller's hand-over");
        const node = await kube.must(`/api/v1/nodes/${running.spec.nodeName}`);
        const pv = await kube.must(paths.pv(bound.spec.volumeName));
        assert.deepEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0], { key: ZONE, operator: "In", values: [node.metadata.labels[ZONE]] });
        assert.match(pv.spec.csi.volumeHandle, /^vol-[0-9a-f]{17}$/);
        assert.equal(pv.spec.persistentVolumeReclaimPolicy, "Delete");

        await kube.patch(paths.core(NS, "persistentvolumeclaims", "ebs"), { spec: { resources: { requests: { storage: "3Gi" } } } });
        await kube.eventually("claim ebs expanded to 3Gi", async () => {
            const c = await kube.must(paths.core(NS, "persistentvolumeclaims", "ebs"));
            return c.status.capacity?.storage === "3Gi" ? c : undefined;
        });
        const events = (await kube.must(paths.core(NS, "events"))).items as KubeObject[];
        assert.ok(
            events.some((e) => e.involvedObject.name === "ebs" && e.reason === "ExternalExpanding"),
            "the expand controller left the CSI volume to the driver's resizer (ExternalExpanding)",
        );
        assert.equal((await kube.must(paths.pv(pv.metadata.name))).spec.capacity.storage, "3Gi");

        await kube.delete(paths.core(NS, "pods", "ebs"));
        await kube.delete(paths.core(NS, "persistentvolumeclaims", "ebs"));
        await kube.eventually(`volume ${pv.metadata.name} deleted (reclaim policy Delete)`, async () => ((await kube.get(paths.pv(pv.metadata.name))) === undefined ? true : undefined));
    });

    it("EBS, Retain: deleting the claim leaves its volume Released", async () => {
        const { kube } = e2e();
        await kube.create(paths.core(NS, "persistentvolumeclaims"), claim("kept", "e2e-ebs-retain", "2Gi"));
        await kube.create(paths.core(NS, "pods"), pod("kept", "kept"));
        const bound = await kube.eventually("claim kept Bound", async () => {
            const c = await kube.get(paths.core(NS, "persistentvolumeclaims", "kept"));
            return c?.status.phase === "Bound" ? c : undefined;
        });
        await kube.delete(paths.core(NS, "pods", "kept"));
        await kube.delete(paths.core(NS, "persistentvolumeclaims", "kept"));
        await kube.eventually("the retained volume Released", async () => ((await kube.get(paths.pv(bound.spec.volumeName)))?.status.phase === "Released" ? true : undefined));
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal((await kube.must(paths.pv(bound.spec.volumeName))).status.phase, "Released", "still there");
        await kube.delete(paths.pv(bound.spec.volumeName));
    });

    it("EFS, Immediate: a ReadWriteMany claim is bound without a consumer, to an access point of the class's file system", async () => {
        const { kube } = e2e();
        await kube.create(paths.core(NS, "persistentvolumeclaims"), claim("efs", "e2e-efs", "5Gi", ["ReadWriteMany"]));
        await kube.eventually("claim efs Bound", async () => ((await kube.get(paths.core(NS, "persistentvolumeclaims", "efs")))?.status.phase === "Bound" ? true : undefined));
        const bound = await expectClaimBound(kube, NS, "efs", "e2e-efs", "5Gi");
        const pv = await kube.must(paths.pv(bound.spec.volumeName));
        assert.match(pv.spec.csi.volumeHandle, /^fs-0e2e::fsap-[0-9a-f]{17}$/);
        assert.deepEqual(pv.spec.accessModes, ["ReadWriteMany"]);
        assert.equal(pv.spec.nodeAffinity, undefined, "EFS is reachable from every zone");
    });

    it("node-local (kubernetes.io/no-provisioner): local volumes published on the storage nodes only; one matched to a claim by the scheduler's volume binder and bound by the PV controller", async () => {
        const { kube } = e2e();
        const published = await kube.eventually("local volumes of e2e-local", async () => {
            const local = ((await kube.must(paths.pv())).items as KubeObject[]).filter((v) => v.spec.storageClassName === "e2e-local");
            return local.length > 0 ? local : undefined;
        });
        for (const v of published) {
            assert.match(v.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0], /^kwok-storage-/, `${v.metadata.name}: on a storage node`);
        }
        await kube.create(paths.core(NS, "persistentvolumeclaims"), claim("local", "e2e-local", "1Gi"));
        await kube.create(
            paths.core(NS, "pods"),
            pod("local", "local", {
                nodeSelector: { "stateful-stacks.io/storage": "local" },
                tolerations: [{ effect: "NoSchedule", key: "stateful-stacks.io/storage", operator: "Exists" }],
            }),
        );
        const running = await kube.eventually("pod local Ready", async () => {
            const p = await kube.get(paths.core(NS, "pods", "local"));
            return p && isReady(p) ? p : undefined;
        });
        const bound = await kube.must(paths.core(NS, "persistentvolumeclaims", "local"));
        assert.equal(bound.status.phase, "Bound");
        const pv = await kube.must(paths.pv(bound.spec.volumeName));
        assert.ok(pv.spec.local?.path, "a local volume");
        assert.equal(pv.spec.claimRef.uid, bound.metadata.uid);
        assert.equal(bound.status.capacity.storage, pv.spec.capacity.storage, "a static volume: the claim gets the volume's capacity");
        assert.deepEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values, [running.spec.nodeName], "on the pod's node");
        assert.match(running.spec.nodeName, /^kwok-storage-/);
        await kube.delete(paths.core(NS, "pods", "local"));
        await kube.delete(paths.core(NS, "persistentvolumeclaims", "local"));
        await kube.eventually("the local volume Released", async () => ((await kube.get(paths.pv(pv.metadata.name)))?.status.phase === "Released" ? true : undefined));
        await kube.delete(paths.pv(pv.metadata.name));
    });
});
