import * as assert from "assert";
import { NodeLocalStore, NodeLocalStoreArgs } from "../../components";
import { buildNodeLocalStoreSpecs } from "../../components/workload/node-local-store";
import { assertSchemaValid, expectInvalid, recorder, registrations, render, renderComponent, settle, valueOf } from "../support/pulumi";
import { assertNoSecretLeaks, guardEveryRender } from "../support/secrets";

const TYPE = "stateful-stacks:workload:NodeLocalStore";
const PARENT = `urn:pulumi:test::stateful-stacks::${TYPE}::blobs`;
const LABELS = {
    "app.kubernetes.io/component": "node-local-store",
    "app.kubernetes.io/instance": "blobs",
    "app.kubernetes.io/managed-by": "stateful-stacks",
    "app.kubernetes.io/name": "blobs",
};
const ARGS: NodeLocalStoreArgs = {
    args: ["server", "/data"],
    env: { MINIO_REGION: "eu-west-1" },
    image: "minio/minio:RELEASE.2025-09-07T16-13-09Z",
    localStorageClass: true,
    namespace: "storage",
    nodeSelector: { "stateful-stacks.io/storage": "local" },
    ports: [{ name: "api", port: 9000 }],
    tolerations: [{ effect: "NoSchedule", key: "dedicated", value: "storage" }, { effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: 300 }],
};

guardEveryRender();

describe("NodeLocalStore component", () => {
    before(async () => {
        await recorder();
    });

    it("renders a DaemonSet, a headless Service and a local StorageClass, parented and explicitly named", async () => {
        const { component: store, rec } = await renderComponent(() => new NodeLocalStore("blobs", ARGS));
        assertSchemaValid(rec);
        assertNoSecretLeaks(rec);
        assert.deepStrictEqual(
            registrations(rec).sort(),
            [
                ["kubernetes:apps/v1:DaemonSet", "blobs", PARENT],
                ["kubernetes:core/v1:Service", "blobs-peers", PARENT],
                ["kubernetes:storage.k8s.io/v1:StorageClass", "blobs-local", PARENT],
                [TYPE, "blobs", undefined],
            ],
        );
        const specs = buildNodeLocalStoreSpecs("blobs", ARGS);
        const daemonSet = rec.get("kubernetes:apps/v1:DaemonSet", "blobs").inputs;
        assert.deepStrictEqual(daemonSet.metadata, { labels: LABELS, name: "blobs", namespace: "storage" });
        assert.deepStrictEqual(daemonSet.spec, specs.daemonSet);
        assert.deepStrictEqual(daemonSet.spec.updateStrategy, { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: "RollingUpdate" });
        const service = rec.get("kubernetes:core/v1:Service", "blobs-peers").inputs;
        assert.deepStrictEqual(service.metadata, { labels: LABELS, name: "blobs-peers", namespace: "storage" });
        assert.deepStrictEqual(service.spec, specs.service);
        assert.deepStrictEqual(rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "blobs-local").inputs, {
            apiVersion: "storage.k8s.io/v1",
            kind: "StorageClass",
            metadata: { labels: LABELS, name: "blobs-local" },
            provisioner: "kubernetes.io/no-provisioner",
            reclaimPolicy: "Retain",
            volumeBindingMode: "WaitForFirstConsumer",
        });
        assert.strictEqual(await valueOf(store.peerDnsName), "blobs-peers.storage.svc.cluster.local");
        assert.strictEqual(await valueOf(store.storageClassName!), "blobs-local");
        assert.strictEqual(store.hostPath, "/var/lib/stateful-stacks/storage/blobs");
    });

    it("renders without ports, tolerations or StorageClass", async () => {
        const rec = await render(() => new NodeLocalStore("cache", { image: "busybox:1.37.0", namespace: "storage", nodeSelector: { disk: "nvme" }, hostPath: "/mnt/disks/nvme0/cache", prepareHostPath: false }));
        assertSchemaValid(rec);
        assert.deepStrictEqual(rec.resources.map((r) => `${r.type}::${r.name}`).sort(), ["kubernetes:apps/v1:DaemonSet::cache", "kubernetes:core/v1:Service::cache-peers", `${TYPE}::cache`]);
        assert.deepStrictEqual(rec.get("kubernetes:core/v1:Service", "cache-peers").inputs.spec, {
            clusterIP: "None",
            publishNotReadyAddresses: true,
            selector: { "app.kubernetes.io/instance": "cache", "app.kubernetes.io/name": "cache" },
        });
    });

    it("registers nothing for refused arguments and names every property", async () => {
        const rec = await recorder();
        rec.reset();
        const { message, paths } = expectInvalid(() => new NodeLocalStore("blobs", { ...ARGS, nodeSelector: {}, hostPath: "/proc/x" }));
        assert.deepStrictEqual(paths, ["nodeSelector", "hostPath"]);
        assert.ok(message.startsWith('NodeLocalStore "blobs" has 2 invalid arguments:'));
        assert.deepStrictEqual(rec.resources, []);
    });

    it("reads variables from Secrets and ConfigMaps, sorted with the literal ones, and never renders a secret value", async () => {
        const rec = await render(
            () =>
                new NodeLocalStore("blobs", {
                    ...ARGS,
                    configMapEnv: { MINIO_BROWSER: { configMapName: "blobs-settings", key: "browser", optional: true } },
                    env: { MINIO_VOLUMES: "/data", MINIO_REGION: "eu-west-1" },
                    secretEnv: { MINIO_ROOT_PASSWORD: { key: "password", secretName: "blobs-root" }, MINIO_ROOT_USER: { key: "user", secretName: "blobs-root" } },
                }),
        );
        assertSchemaValid(rec);
        assertNoSecretLeaks(rec);
        const env = rec.get("kubernetes:apps/v1:DaemonSet", "blobs").inputs.spec.template.spec.containers[0].env;
        assert.deepStrictEqual(env.slice(3), [
            { name: "MINIO_BROWSER", valueFrom: { configMapKeyRef: { key: "browser", name: "blobs-settings", optional: true } } },
            { name: "MINIO_REGION", value: "eu-west-1" },
            { name: "MINIO_ROOT_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "blobs-root" } } },
            { name: "MINIO_ROOT_USER", valueFrom: { secretKeyRef: { key: "user", name: "blobs-root" } } },
            { name: "MINIO_VOLUMES", value: "/data" },
        ]);
        assert.deepStrictEqual(env.slice(0, 3).map((e: { name: string }) => e.name), ["POD_NAME", "POD_NAMESPACE", "NODE_NAME"]);
    });

    it("with skipAwait annotates the DaemonSet and the headless Service, never the StorageClass", async () => {
        const rec = await render(() => new NodeLocalStore("blobs", { ...ARGS, skipAwait: true }));
        assertSchemaValid(rec);
        const skip = { "pulumi.com/skipAwait": "true" };
        assert.deepStrictEqual(rec.get("kubernetes:apps/v1:DaemonSet", "blobs").inputs.metadata, { annotations: skip, labels: LABELS, name: "blobs", namespace: "storage" });
        assert.deepStrictEqual(rec.get("kubernetes:core/v1:Service", "blobs-peers").inputs.metadata, { annotations: skip, labels: LABELS, name: "blobs-peers", namespace: "storage" });
        assert.strictEqual(rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "blobs-local").inputs.metadata.annotations, undefined);
    });

    it("refuses a credential as a literal env value without printing it", async () => {
        const rec = await recorder();
        rec.reset();
        const { message, paths } = expectInvalid(() => new NodeLocalStore("blobs", { ...ARGS, env: { MINIO_ROOT_PASSWORD: "hunter2-secret" } }));
        assert.deepStrictEqual(paths, ["env.MINIO_ROOT_PASSWORD"]);
        assert.strictEqual(
            message,
            'NodeLocalStore "blobs" has 1 invalid argument:\n  - env.MINIO_ROOT_PASSWORD: must not be a literal value: MINIO_ROOT_PASSWORD names a credential, and credentials live only in Secrets; reference one with secretEnv.MINIO_ROOT_PASSWORD: { secretName, key } (got [secret])',
        );
        assert.ok(!message.includes("hunter2"));
        assert.deepStrictEqual(rec.resources, []);
    });

    it("takes env as a record, as StatefulWorkload does, and registers nothing for the refused list form", async () => {
        const rec = await render(() => new NodeLocalStore("blobs", { ...ARGS, env: { FOO: "bar" } }));
        assertSchemaValid(rec);
        const env = rec.get("kubernetes:apps/v1:DaemonSet", "blobs").inputs.spec.template.spec.containers[0].env;
        assert.deepStrictEqual(env.slice(3), [{ name: "FOO", value: "bar" }]);
        rec.reset();
        const listForm = { ...ARGS, env: [{ name: "FOO", value: "bar" }] } as unknown as NodeLocalStoreArgs;
        const { message, paths } = expectInvalid(() => new NodeLocalStore("blobs", listForm));
        assert.deepStrictEqual(paths, ["env"]);
        assert.strictEqual(
            message,
            'NodeLocalStore "blobs" has 1 invalid argument:\n  - env: must map variable names to values, such as { MINIO_REGION: "eu-west-1" }: the list form [{ name, value }] is deprecated and refused; write each entry as NAME: "value" (got a list of 1 entry)',
        );
        await settle();
        assert.deepStrictEqual(rec.resources, []);
    });

    it("registers nothing for a system host directory, and renders an allowed one in normal form", async () => {
        const rec = await recorder();
        rec.reset();
        const { paths } = expectInvalid(() => new NodeLocalStore("blobs", { ...ARGS, hostPath: "/mnt/../var/lib/etcd" }));
        assert.deepStrictEqual(paths, ["hostPath"]);
        await settle();
        assert.deepStrictEqual(rec.resources, []);
        const { component: store, rec: ok } = await renderComponent(() => new NodeLocalStore("blobs", { ...ARGS, hostPath: "/srv//blobs/" }));
        assert.strictEqual(ok.get("kubernetes:apps/v1:DaemonSet", "blobs").inputs.spec.template.spec.volumes[0].hostPath.path, "/srv/blobs");
        assert.strictEqual(store.hostPath, "/srv/blobs");
    });
});
