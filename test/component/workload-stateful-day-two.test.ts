import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { VolumeAttributesClassReference } from "../../components/common/volume-attributes-ref";
import { EbsStorageClass } from "../../components/storage/ebs-storage-class";
import { StatefulWorkload, StatefulWorkloadArgs } from "../../components/workload/stateful-workload";
import { buildClaimPatches, claimTemplateIgnoreChanges, podOwnerName } from "../../components/workload/stateful-workload-claims";
import { buildVolumeClaimTemplates } from "../../components/workload/stateful-workload-spec";
import { validateStatefulWorkloadArgs } from "../../components/workload/stateful-workload-validate";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { expectInvalid, recorder, render } from "../support/pulumi";

const STS = "kubernetes:apps/v1:StatefulSet";
const PATCH = "kubernetes:core/v1:PersistentVolumeClaimPatch";
const OWNER = "kubernetes:core/v1:ConfigMap";
const labels = {
    "app.kubernetes.io/component": "stateful-workload",
    "app.kubernetes.io/instance": "zk",
    "app.kubernetes.io/managed-by": "stateful-stacks",
    "app.kubernetes.io/name": "zk",
};
const patchAnnotations = { "pulumi.com/patchForce": "true", "pulumi.com/skipAwait": "true" };

/** A VolumeAttributesClass as another component would give it: a plain object implementing the interface. */
function attributesClass(name: string, driverName: string, parameters: Record<string, string> = { iops: "8000", throughput: "500", type: "gp3" }): VolumeAttributesClassReference {
    const resource = new k8s.storage.v1beta1.VolumeAttributesClass(name, { driverName, metadata: { name }, parameters });
    return { volumeAttributesClass: resource, volumeAttributesClassName: resource.metadata.name, volumeAttributesFacts: { driverName, name, parameters } };
}

const ensemble = (volumes: StatefulWorkloadArgs["volumes"], replicas = 2): StatefulWorkloadArgs => ({
    image: "zookeeper:3.9.3",
    namespace: "coord",
    ports: [{ name: "client", port: 2181 }],
    replicas,
    volumes,
});

describe("StatefulWorkload day two: claims kept in place, pods orphaned on replacement", () => {
    before(async () => {
        await recorder();
    });

    it("ignores each claim template's size and VolumeAttributesClass, one path per volume", () => {
        assert.deepStrictEqual(claimTemplateIgnoreChanges([{ name: "data" }, { name: "datalog" }]), [
            "spec.volumeClaimTemplates[0].spec.resources.requests.storage",
            "spec.volumeClaimTemplates[0].spec.volumeAttributesClassName",
            "spec.volumeClaimTemplates[1].spec.resources.requests.storage",
            "spec.volumeClaimTemplates[1].spec.volumeAttributesClassName",
        ]);
        assert.deepStrictEqual(claimTemplateIgnoreChanges([]), []);
    });

    it("patches every claim of every ordinal, volume by volume, with the size, class and VolumeAttributesClass", () => {
        const args = ensemble([
            { mountPath: "/data", name: "data", size: "20Gi", storageClass: "gp3", volumeAttributesClass: "gp3-8000-500" },
            { accessModes: ["ReadWriteOncePod"], mountPath: "/datalog", name: "datalog", size: "5Gi", storageClass: "gp3" },
        ]);
        const claim = (volume: string, i: number, spec: Record<string, unknown>) => ({
            args: { metadata: { annotations: patchAnnotations, labels, name: `${volume}-zk-${i}`, namespace: "coord" }, spec },
            resourceName: `zk-${volume}-${i}`,
        });
        const data = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } }, storageClassName: "gp3", volumeAttributesClassName: "gp3-8000-500" };
        const datalog = { accessModes: ["ReadWriteOncePod"], resources: { requests: { storage: "5Gi" } }, storageClassName: "gp3" };
        assert.deepStrictEqual(buildClaimPatches("zk", args, labels, 2), [claim("data", 0, data), claim("data", 1, data), claim("datalog", 0, datalog), claim("datalog", 1, datalog)]);
        assert.deepStrictEqual(buildClaimPatches("zk", args, labels, 0), []);
        assert.deepStrictEqual(buildVolumeClaimTemplates(args.volumes!), [
            { metadata: { name: "data" }, spec: data },
            { metadata: { name: "datalog" }, spec: datalog },
        ]);
        assert.strictEqual(podOwnerName("zk"), "zk-owner");
    });

    it("a VolumeAttributesClass reference goes into the template and every claim by its plain name; claims and the set wait for it", async () => {
        const rec = await render(() => {
            const fast = new EbsStorageClass("dt-fast", { volumeType: "gp3" });
            const retuned = attributesClass("gp3-8000-500", "ebs.csi.aws.com");
            return new StatefulWorkload("zk", ensemble([{ mountPath: "/data", name: "data", size: "20Gi", storageClass: fast, volumeAttributesClass: retuned }], 3));
        });
        // The stand-in class is v1beta1, which the schema package does not know; the workload's objects are checked one by one.
        for (const r of rec.resources.filter((x) => x.type === STS || x.type === PATCH || x.type === OWNER)) {
            assert.deepStrictEqual(validateKubernetesObject(r.inputs as never), [], r.name);
        }
        const vac = rec.get("kubernetes:storage.k8s.io/v1beta1:VolumeAttributesClass", "gp3-8000-500");
        const storageClass = rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "dt-fast");
        const patches = [0, 1, 2].map((i) => rec.get(PATCH, `zk-data-${i}`));
        for (const [i, patch] of patches.entries()) {
            assert.deepStrictEqual(patch.inputs.spec, {
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: "20Gi" } },
                storageClassName: "dt-fast",
                volumeAttributesClassName: "gp3-8000-500",
            });
            assert.strictEqual(patch.inputs.metadata.name, `data-zk-${i}`);
            assert.deepStrictEqual([...patch.dependsOn].sort(), [storageClass.urn, vac.urn].sort());
            assert.deepStrictEqual([patch.protect, patch.retainOnDelete], [false, true]);
        }
        const sts = rec.get(STS, "zk");
        assert.strictEqual(sts.inputs.spec.volumeClaimTemplates[0].spec.volumeAttributesClassName, "gp3-8000-500");
        assert.deepStrictEqual(sts.propertyDependencies.spec, []);
        assert.ok(sts.dependsOn.includes(vac.urn) && patches.every((p) => sts.dependsOn.includes(p.urn)), "the StatefulSet waits for the class and for every claim");
        assert.deepStrictEqual(sts.ignoreChanges, claimTemplateIgnoreChanges([{ name: "data" }]));
        assert.strictEqual(sts.inputs.metadata.annotations["pulumi.com/deletionPropagationPolicy"], "orphan");
        assert.deepStrictEqual(sts.inputs.metadata.ownerReferences, [
            { apiVersion: "v1", blockOwnerDeletion: true, kind: "ConfigMap", name: "zk-owner", uid: rec.get(OWNER, "zk-owner").state.metadata.uid },
        ]);
    });

    it("a workload without volumes has no patches and no ignored paths, and still its owner", async () => {
        const rec = await render(() => new StatefulWorkload("zk", ensemble(undefined, 2)));
        assert.deepStrictEqual(rec.resources.filter((r) => r.type === PATCH), []);
        assert.deepStrictEqual(rec.get(STS, "zk").ignoreChanges, []);
        assert.strictEqual(rec.get(OWNER, "zk-owner").inputs.metadata.name, "zk-owner");
    });

    it("refuses a VolumeAttributesClass of another driver, a bad name and a value that is neither, all at once", async () => {
        await render(() => {
            const fast = new EbsStorageClass("dt-fast2", { volumeType: "gp3" });
            const efsClass = attributesClass("efs-tuned", "efs.csi.aws.com");
            const badName = attributesClass("bad-name", "ebs.csi.aws.com");
            const named = { ...badName, volumeAttributesFacts: { ...badName.volumeAttributesFacts, name: "Fast_IOPS" } };
            const { message, paths } = expectInvalid(
                () =>
                    new StatefulWorkload(
                        "zk",
                        ensemble([
                            { mountPath: "/a", name: "a", size: "20Gi", storageClass: fast, volumeAttributesClass: efsClass },
                            { mountPath: "/b", name: "b", size: "20Gi", storageClass: "gp3", volumeAttributesClass: "Fast_IOPS" },
                            { mountPath: "/c", name: "c", size: "20Gi", storageClass: fast, volumeAttributesClass: named },
                            { mountPath: "/d", name: "d", size: "20Gi", storageClass: fast, volumeAttributesClass: { name: "gp3-tuned" } as never },
                        ]),
                    ),
            );
            assert.deepStrictEqual(paths, [
                "volumes[0].volumeAttributesClass.volumeAttributesFacts.driverName",
                "volumes[1].volumeAttributesClass",
                "volumes[2].volumeAttributesClass.volumeAttributesFacts.name",
                "volumes[3].volumeAttributesClass",
            ]);
            assert.strictEqual(
                message,
                [
                    'StatefulWorkload "zk" has 4 invalid arguments:',
                    '  - volumes[0].volumeAttributesClass.volumeAttributesFacts.driverName: must be the StorageClass\'s provisioner "ebs.csi.aws.com" (StorageClass "dt-fast2"): only the driver that provisioned a volume can modify it (got "efs.csi.aws.com")',
                    '  - volumes[1].volumeAttributesClass: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, \'-\' and \'.\', each part starting and ending with a letter or digit (got "Fast_IOPS")',
                    '  - volumes[2].volumeAttributesClass.volumeAttributesFacts.name: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, \'-\' and \'.\', each part starting and ending with a letter or digit (got "Fast_IOPS")',
                    '  - volumes[3].volumeAttributesClass: must be a VolumeAttributesClassReference or a VolumeAttributesClass name (got {"name":"gp3-tuned"})',
                ].join("\n"),
            );
        });
    });

    it("a typo of volumeAttributesClass is an unknown key with a suggestion", () => {
        const problems = validateStatefulWorkloadArgs("zk", ensemble([{ mountPath: "/a", name: "a", size: "20Gi", storageClass: "gp3", volumeAttributeClass: "x" } as never]));
        assert.deepStrictEqual(problems.map((p) => p.path), ["volumes[0].volumeAttributeClass"]);
        assert.match(problems[0].expected, /did you mean "volumeAttributesClass"/);
    });
});
