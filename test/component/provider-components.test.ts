import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as library from "../../components";
import * as provider from "../../components/provider";
import { externalStores, storageClasses } from "../../components/provider/registry";
import { expectInvalid, registrations, render } from "../support/pulumi";
import { Recorder } from "../../tools/engine/mocks";

/**
 * The provider-facing components (components/provider/, what YAML, Python and Go programs
 * get through PulumiPlugin.yaml): each validates with the library's validator, so a bad
 * argument gets the library's exact message with nothing registered, and each builds the
 * library component of the same name, so the Kubernetes objects are the library's.
 */

const P = (name: string) => `stateful-stacks:index:${name}`;
const URN = (type: string, name: string, parents: string[] = []) =>
    `urn:pulumi:test::stateful-stacks::${[...parents, type].join("$")}::${name}`;

/** The inputs of every custom resource, by type and name. */
function customInputs(rec: Recorder): Record<string, unknown> {
    return Object.fromEntries(rec.resources.filter((r) => r.custom).map((r) => [`${r.type}::${r.name}`, r.inputs]));
}

describe("provider-facing components (PulumiPlugin.yaml)", () => {
    afterEach(() => {
        storageClasses.clear();
        externalStores.clear();
    });

    it("EbsStorageClass: the library component as its child, with the library's objects", async () => {
        const viaProvider = await render(
            () =>
                new provider.EbsStorageClass("fast", {
                    volumeType: provider.EbsVolumeType.Io2,
                    iops: 4000,
                    reclaimPolicy: provider.ReclaimPolicy.Retain,
                    snapshotClass: { deletionPolicy: provider.ReclaimPolicy.Retain },
                    zones: ["us-east-1a"],
                }),
        );
        const providerRegistrations = registrations(viaProvider).sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
        const providerObjects = customInputs(viaProvider);
        const direct = await render(
            () => new library.EbsStorageClass("fast", { volumeType: "io2", iops: 4000, reclaimPolicy: "Retain", snapshots: { deletionPolicy: "Retain" }, zones: ["us-east-1a"] }),
        );
        const outer = URN(P("EbsStorageClass"), "fast");
        const inner = URN("stateful-stacks:storage:EbsStorageClass", "fast", [P("EbsStorageClass")]);
        assert.deepStrictEqual(providerRegistrations, [
            ["kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", "fast-snapshots", inner],
            ["kubernetes:storage.k8s.io/v1:StorageClass", "fast", inner],
            [P("EbsStorageClass"), "fast", undefined],
            ["stateful-stacks:storage:EbsStorageClass", "fast", outer],
        ]);
        assert.deepStrictEqual(providerObjects, customInputs(direct));
    });

    it("EbsStorageClass: a bad argument gets the library's message (named by the provider's paths), every problem at once, nothing registered", async () => {
        const args = { volumeType: "gp9", iops: -5, kmsKey: { deletionWindowInDays: 3 } };
        let libraryMessage = "";
        await render(() => {
            libraryMessage = expectInvalid(
                () => new library.EbsStorageClass("fast", { volumeType: "gp9", iops: -5, createKmsKey: { deletionWindowInDays: 3 } } as unknown as library.EbsStorageClassArgs),
            ).message;
        });
        let refused!: { message: string; paths: string[] };
        const rec = await render(() => {
            refused = expectInvalid(() => new provider.EbsStorageClass("fast", args as unknown as provider.EbsStorageClassArgs));
        });
        assert.strictEqual(refused.message, libraryMessage.replace("  - createKmsKey.", "  - kmsKey."));
        assert.deepStrictEqual(refused, {
            message:
                'EbsStorageClass "fast" has 2 invalid arguments:\n' +
                '  - volumeType: must be one of "gp3", "gp2", "io1", "io2", "st1", "sc1" (got "gp9")\n' +
                "  - kmsKey.deletionWindowInDays: must be an integer from 7 to 30 days (got 3)",
            paths: ["volumeType", "kmsKey.deletionWindowInDays"],
        });
        assert.deepStrictEqual(rec.resources, []);
    });

    it("StatefulWorkload: storage classes and external stores by name are the components of the same program", async () => {
        const viaProvider = await render(() => {
            new provider.EbsStorageClass("fast", { storageClassName: "fast-gp3" });
            new provider.ExternalStore("orders", { namespace: "shop", engine: provider.ExternalStoreEngine.Postgresql, hosts: ["db.example.com"], username: "app", password: pulumi.secret("pw-123456") });
            return new provider.StatefulWorkload("db", {
                namespace: "shop",
                image: "postgres:16.4",
                replicas: 2,
                ports: [{ name: "pg", port: 5432 }],
                volumes: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "20Gi", storageClassName: "fast-gp3" }],
                externalStores: ["orders"],
            });
        });
        const providerObjects = customInputs(viaProvider);
        const direct = await render(() => {
            const fast = new library.EbsStorageClass("fast", { storageClassName: "fast-gp3" });
            const orders = new library.ExternalStore("orders", { namespace: "shop", engine: "postgresql", hosts: ["db.example.com"], username: "app", password: pulumi.secret("pw-123456") });
            return new library.StatefulWorkload("db", {
                namespace: "shop",
                image: "postgres:16.4",
                replicas: 2,
                ports: [{ name: "pg", port: 5432 }],
                volumes: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "20Gi", storageClass: fast }],
                externalStores: [orders],
            });
        });
        assert.deepStrictEqual(providerObjects, customInputs(direct));
        const sts = viaProvider.resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")!;
        assert.deepStrictEqual(sts.dependsOn, direct.resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")!.dependsOn.map((u) => u.replace(/::stateful-stacks:storage:EbsStorageClass::/, `::${P("EbsStorageClass")}$stateful-stacks:storage:EbsStorageClass::`)));
    });

    it("protect and retainOnDelete given to a provider-facing component reach the library component, as in TypeScript", async () => {
        const viaProvider = await render(() => {
            new provider.ExternalStore("orders", { namespace: "shop", engine: provider.ExternalStoreEngine.Postgresql, hosts: ["db.example.com"], username: "app", password: pulumi.secret("pw-123456") }, { retainOnDelete: true });
            return new provider.EbsStorageClass("fast", { storageClassName: "fast-gp3" }, { retainOnDelete: false, protect: true });
        });
        const direct = await render(() => {
            new library.ExternalStore("orders", { namespace: "shop", engine: "postgresql", hosts: ["db.example.com"], username: "app", password: pulumi.secret("pw-123456") }, { retainOnDelete: true });
            return new library.EbsStorageClass("fast", { storageClassName: "fast-gp3" }, { retainOnDelete: false, protect: true });
        });
        const fates = (rec: Recorder) => rec.resources.filter((r) => r.custom).map((r) => [`${r.type}::${r.name}`, r.protect, r.retainOnDelete]).sort();
        assert.deepStrictEqual(fates(viaProvider), fates(direct));
        const secret = viaProvider.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
        assert.deepStrictEqual([secret.protect, secret.retainOnDelete], [false, true]);
    });

    it("StatefulWorkload: an unknown store name and the library's own problems, all at once, nothing registered", async () => {
        let refused!: { message: string; paths: string[] };
        const rec = await render(() => {
            refused = expectInvalid(
                () =>
                    new provider.StatefulWorkload("db", {
                        namespace: "shop",
                        image: "postgres:16.4",
                        replicas: 0,
                        ports: [{ name: "pg", port: 5432 }],
                        volumes: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "lots", storageClassName: "fast-gp3" }],
                        externalStores: ["nope"],
                    }),
            );
        });
        assert.deepStrictEqual(refused, {
            message:
                'StatefulWorkload "db" has 2 invalid arguments:\n' +
                '  - externalStores[0]: the name of an ExternalStore of this program constructed before this workload (YAML: list it in options.dependsOn) (got "nope")\n' +
                '  - volumes[0].size: must be a Kubernetes quantity such as "20Gi", "500Mi" or "1Ti" (got "lots")',
            paths: ["externalStores[0]", "volumes[0].size"],
        });
        assert.deepStrictEqual(rec.resources, []);
    });
});
