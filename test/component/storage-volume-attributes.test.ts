import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EbsVolumeAttributesClass } from "../../components/storage/ebs-volume-attributes-class";
import { isVolumeAttributesClassReference } from "../../components/common/volume-attributes-ref";
import { assertSchemaValid, expectInvalid, recorder, registrations, render, renderComponent, settle, valueOf } from "../support/pulumi";

const COMPONENT = "stateful-stacks:storage:EbsVolumeAttributesClass";
const VAC = "kubernetes:storage.k8s.io/v1:VolumeAttributesClassPatch";
const COMPONENT_URN = (name: string) => `urn:pulumi:test::stateful-stacks::${COMPONENT}::${name}`;
const LABELS = { "app.kubernetes.io/managed-by": "stateful-stacks" };

describe("EbsVolumeAttributesClass component", () => {
    before(async () => {
        await recorder();
    });

    it("registers one storage.k8s.io/v1 VolumeAttributesClass, named from its parameters, retained and never protected", async () => {
        const { component, rec } = await renderComponent(() => new EbsVolumeAttributesClass("postgres-fast", { iops: 6000, throughputMibps: 250 }, { protect: true }));
        assert.deepStrictEqual(registrations(rec), [
            [COMPONENT, "postgres-fast", undefined],
            [VAC, "postgres-fast-gp3-6000iops-250mibps", COMPONENT_URN("postgres-fast")],
        ]);
        const vac = rec.get(VAC, "postgres-fast-gp3-6000iops-250mibps");
        assert.deepStrictEqual(vac.inputs, {
            apiVersion: "storage.k8s.io/v1",
            driverName: "ebs.csi.aws.com",
            kind: "VolumeAttributesClass",
            metadata: { labels: LABELS, name: "postgres-fast-gp3-6000iops-250mibps" },
            parameters: { iops: "6000", throughput: "250", type: "gp3" },
        });
        assert.strictEqual(vac.protect, false, "a retune must be able to leave the class");
        assert.strictEqual(vac.retainOnDelete, true, "claims kept by pulumi destroy still name it");
        assert.strictEqual(vac.deleteBeforeReplace, false);
        assertSchemaValid(rec);
        assert.strictEqual(await valueOf(component.volumeAttributesClassName), "postgres-fast-gp3-6000iops-250mibps");
        assert.deepStrictEqual(component.volumeAttributesFacts, {
            driverName: "ebs.csi.aws.com",
            name: "postgres-fast-gp3-6000iops-250mibps",
            parameters: { iops: "6000", throughput: "250", type: "gp3" },
        });
        assert.strictEqual(component.volumeType, "gp3");
        assert.strictEqual(component.iops, 6000);
        assert.strictEqual(component.throughputMibps, 250);
        assert.ok(isVolumeAttributesClassReference(component));
    });

    it("a retune is a new child under a new name (a create and a delete), never a change to the immutable object", async () => {
        const { rec } = await renderComponent(() => [
            new EbsVolumeAttributesClass("a", { iops: 6000, throughputMibps: 250, namePrefix: "fast" }),
            new EbsVolumeAttributesClass("b", { iops: 8000, throughputMibps: 250, namePrefix: "fast" }),
        ]);
        assert.deepStrictEqual(
            rec.ofType(VAC).map((r) => [r.name, r.inputs.metadata.name]),
            [
                ["a-gp3-6000iops-250mibps", "fast-gp3-6000iops-250mibps"],
                ["b-gp3-8000iops-250mibps", "fast-gp3-8000iops-250mibps"],
            ],
        );
    });

    it("its name carries the dependency on the object: a claim that names it waits for it", async () => {
        const { rec } = await renderComponent(() => {
            const fast = new EbsVolumeAttributesClass("fast", { iops: 4000 });
            return new k8s.core.v1.PersistentVolumeClaim("data", {
                metadata: { name: "data", namespace: "db" },
                spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } }, storageClassName: "fast", volumeAttributesClassName: fast.volumeAttributesClassName },
            });
        });
        const claim = rec.get("kubernetes:core/v1:PersistentVolumeClaim", "data");
        assert.strictEqual(claim.inputs.spec.volumeAttributesClassName, "fast-gp3-4000iops");
        assert.deepStrictEqual(claim.propertyDependencies.spec, [`urn:pulumi:test::stateful-stacks::${COMPONENT}$${VAC}::fast-gp3-4000iops`]);
    });

    it("refuses bad arguments before registering anything, every problem at once", async () => {
        const { message, paths } = expectInvalid(() => new EbsVolumeAttributesClass("fast", { iops: 90000, throughputMibps: 5000, volumeType: "gp3" }));
        assert.strictEqual(
            message,
            [
                'EbsVolumeAttributesClass "fast" has 2 invalid arguments:',
                "  - iops: must be an integer from 3000 to 80000 for gp3 volumes (got 90000)",
                "  - throughputMibps: must be an integer from 125 to 2000 MiB/s (got 5000)",
            ].join("\n"),
        );
        assert.deepStrictEqual(paths, ["iops", "throughputMibps"]);
        await settle();
        const rec = await render(() => {
            try {
                new EbsVolumeAttributesClass("bad", { iops: pulumi.output(3000) as never });
            } catch {
                // refused: nothing may be registered
            }
        });
        assert.deepStrictEqual(rec.resources, []);
    });
});
