import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { StorageClassReference } from "../../components/common/storage-class-ref";
import { StatefulWorkload, StatefulWorkloadArgs } from "../../components/workload/stateful-workload";
import { assertSchemaValid, expectInvalid, recorder, render } from "../support/pulumi";

const STS = "kubernetes:apps/v1:StatefulSet";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";

/** A storage class from any component: the workload reads it only through StorageClassReference. */
function reference(name: string, volumeType: "gp3" | "io2", iops?: number): StorageClassReference {
    const storageClass = new k8s.storage.v1.StorageClass(name, { metadata: { name }, provisioner: "ebs.csi.aws.com", parameters: { type: volumeType } });
    return {
        storageClass,
        storageClassName: storageClass.metadata.name,
        storageFacts: {
            accessModes: ["ReadWriteOnce", "ReadWriteOncePod"],
            allowVolumeExpansion: true,
            ebs: { iops, volumeType },
            name,
            provisioner: "ebs.csi.aws.com",
        },
    };
}

/** A one-port PostgreSQL workload "pg" with these volumes. */
function postgres(volumes: StatefulWorkloadArgs["volumes"]): StatefulWorkload {
    return new StatefulWorkload("pg", { namespace: "db", image: "postgres:16.4", ports: [{ name: "pg", port: 5432 }], volumes });
}

describe("StatefulWorkload with a StorageClassReference", () => {
    before(async () => {
        await recorder();
    });

    it("names the class in the claim as a plain value, waits for it, and renders scheduling fields", async () => {
        const rec = await render(() => {
            const fast = reference("ref-fast", "io2", 6400);
            new StatefulWorkload("kafka", {
                namespace: "streams",
                image: "apache/kafka:3.9.0",
                replicas: 3,
                ports: [{ name: "broker", port: 9092 }],
                volumes: [{ name: "data", mountPath: "/var/lib/kafka", size: "100Gi", storageClass: fast }],
                nodeSelector: { "example.com/pool": "streams" },
                tolerations: [{ key: "dedicated", operator: "Equal", value: "streams", effect: "NoSchedule" }],
            });
        });
        assertSchemaValid(rec);
        const sts = rec.get(STS, "kafka");
        assert.deepStrictEqual(sts.inputs.spec.volumeClaimTemplates, [
            { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "100Gi" } }, storageClassName: "ref-fast" } },
        ]);
        assert.ok(sts.dependsOn.includes(rec.get(STORAGE_CLASS, "ref-fast").urn), "the StatefulSet waits for the StorageClass");
        assert.deepStrictEqual(sts.inputs.spec.template.spec.nodeSelector, { "example.com/pool": "streams" });
        assert.deepStrictEqual(sts.inputs.spec.template.spec.tolerations, [{ effect: "NoSchedule", key: "dedicated", operator: "Equal", value: "streams" }]);
    });

    it("refuses a reference whose facts cannot name a claim, and a fake component, without registering", async () => {
        let refused: { message: string; paths: string[] } | undefined;
        const rec = await render(() => {
            const good = reference("ref-facts", "gp3");
            const badFacts = { ...good, storageFacts: { ...good.storageFacts, name: "Fast_SSD", accessModes: undefined } } as unknown as StorageClassReference;
            const fake = { storageClassName: good.storageClassName, storageClass: {} } as unknown as StorageClassReference;
            refused = expectInvalid(() =>
                postgres([
                    { name: "data", mountPath: "/data", size: "20Gi", storageClass: badFacts },
                    { name: "wal", mountPath: "/wal", size: "20Gi", storageClass: fake },
                ]),
            );
        });
        assert.deepStrictEqual(rec.resources.map((r) => r.type), [STORAGE_CLASS]);
        assert.deepStrictEqual(refused?.paths, ["volumes[0].storageClass.storageFacts.name", "volumes[0].storageClass.storageFacts.accessModes", "volumes[1].storageClass"]);
    });

    it("checks claims against the reference's facts and registers nothing when they do not fit", async () => {
        let refused: { message: string; paths: string[] } | undefined;
        const rec = await render(() => {
            const fast = reference("ref-io2", "io2", 64000);
            refused = expectInvalid(() => postgres([{ name: "data", mountPath: "/data", size: "20Gi", storageClass: fast, accessModes: ["ReadWriteMany"] }]));
        });
        assert.deepStrictEqual(
            rec.resources.map((r) => r.type),
            [STORAGE_CLASS],
            "only the test's own StorageClass is registered",
        );
        assert.deepStrictEqual(refused, {
            message: [
                'StatefulWorkload "pg" has 2 invalid arguments:',
                "  - volumes[0].accessModes: cannot include ReadWriteMany or ReadOnlyMany on an EBS StorageClass (a block volume attaches to one node); use an EfsStorageClass (got [\"ReadWriteMany\"])",
                "  - volumes[0].size: must be at least 64Gi: the StorageClass provisions 64000 IOPS and io2 allows at most 1000 IOPS per GiB (got \"20Gi\")",
            ].join("\n"),
            paths: ["volumes[0].accessModes", "volumes[0].size"],
        });
    });
});
