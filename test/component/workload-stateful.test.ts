import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ExternalStore } from "../../components/external/external-store";
import { EbsStorageClass } from "../../components/storage/ebs-storage-class";
import { EfsStorageClass } from "../../components/storage/efs-storage-class";
import { StatefulWorkload } from "../../components/workload/stateful-workload";
import { POD_OWNER_NOTE } from "../../components/workload/stateful-workload-claims";
import { assertSchemaValid, recorder, render, valueOf } from "../support/pulumi";
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from "../support/restricted";

const STS = "kubernetes:apps/v1:StatefulSet";
const SERVICE = "kubernetes:core/v1:Service";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const OWNER = "kubernetes:core/v1:ConfigMap";
const PATCH = "kubernetes:core/v1:PersistentVolumeClaimPatch";
const TYPE = "stateful-stacks:workload:StatefulWorkload";
const urnOf = (name: string) => `urn:pulumi:test::stateful-stacks::${TYPE}::${name}`;

const labels = (sts: string) => ({
    "app.kubernetes.io/component": "stateful-workload",
    "app.kubernetes.io/instance": sts,
    "app.kubernetes.io/managed-by": "stateful-stacks",
    "app.kubernetes.io/name": sts,
});
const selector = (sts: string) => ({ "app.kubernetes.io/instance": sts, "app.kubernetes.io/name": sts });
const identityEnv = [
    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
];
const hostTerm = (sts: string) => ({ labelSelector: { matchLabels: selector(sts) }, topologyKey: "kubernetes.io/hostname" });
const zoneSpread = (sts: string) => [
    { labelSelector: { matchLabels: selector(sts) }, maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" },
];
const preferredHosts = (sts: string) => ({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: hostTerm(sts), weight: 100 }] } });
const retain = { whenDeleted: "Retain", whenScaled: "Retain" };

describe("StatefulWorkload component", () => {
    before(async () => {
        await recorder();
    });

    it("renders a single-replica database with one EBS volume", async () => {
        let workload: StatefulWorkload | undefined;
        const rec = await render(() => {
            const fast = new EbsStorageClass("cw-fast", { volumeType: "gp3" });
            workload = new StatefulWorkload(
                "pg",
                {
                    namespace: "db",
                    image: "postgres:16.4",
                    ports: [{ name: "pg", port: 5432 }],
                    env: { POSTGRES_DB: "app", PGDATA: "/var/lib/postgresql/data/pgdata" },
                    volumes: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "20Gi", storageClass: fast }],
                    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "1Gi" } },
                    readinessProbe: { exec: { command: ["pg_isready", "-U", "postgres"] }, periodSeconds: 5 },
                    terminationGracePeriodSeconds: 60,
                },
                { protect: true },
            );
            return { dns: workload.podDnsNames, claims: workload.claimNames };
        });
        assertSchemaValid(rec);

        const component = rec.get(TYPE, "pg");
        assert.deepStrictEqual(
            rec.childrenOf(component.urn).map((r) => `${r.type}::${r.name}`).sort(),
            [`${STS}::pg`, `${OWNER}::pg-owner`, `${PATCH}::pg-data-0`, `${SERVICE}::pg`, `${SERVICE}::pg-headless`],
        );
        const sts = rec.get(STS, "pg");
        assert.strictEqual(sts.protect, true);
        const storageClass = rec.get("kubernetes:storage.k8s.io/v1:StorageClass", "cw-fast");
        const patch = rec.get(PATCH, "pg-data-0");
        const owner = rec.get(OWNER, "pg-owner");
        const ownerUid: string = owner.state.metadata.uid;
        // After the claims it keeps and the class; its owner, for the owner reference's uid.
        assert.deepStrictEqual([...sts.dependsOn].sort(), [rec.get(SERVICE, "pg-headless").urn, storageClass.urn, patch.urn, owner.urn].sort());
        // The size and VolumeAttributesClass of a template change on the claims, never in the (immutable) template.
        assert.deepStrictEqual(sts.ignoreChanges, ["spec.volumeClaimTemplates[0].spec.resources.requests.storage", "spec.volumeClaimTemplates[0].spec.volumeAttributesClassName"]);
        assert.deepStrictEqual(sts.propertyDependencies.metadata, [owner.urn]);
        assert.deepStrictEqual([owner.protect, owner.retainOnDelete], [true, false]);
        assert.deepStrictEqual(owner.inputs, {
            apiVersion: "v1",
            data: { note: POD_OWNER_NOTE },
            immutable: true,
            kind: "ConfigMap",
            metadata: { labels: labels("pg"), name: "pg-owner", namespace: "db" },
        });
        assert.deepStrictEqual([patch.protect, patch.retainOnDelete, [...patch.dependsOn]], [false, true, [storageClass.urn]]);
        assert.deepStrictEqual(patch.inputs, {
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            metadata: {
                annotations: { "pulumi.com/patchForce": "true", "pulumi.com/skipAwait": "true" },
                labels: labels("pg"),
                name: "data-pg-0",
                namespace: "db",
            },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } }, storageClassName: "cw-fast" },
        });
        // Ordered after the class, but the claim templates do not take its name as a
        // dependency: replacing the class must not make them unknown (and the StatefulSet
        // replaced) in a preview.
        assert.deepStrictEqual(sts.propertyDependencies.spec, []);
        assert.deepStrictEqual(sts.inputs, {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: {
                annotations: { "pulumi.com/deletionPropagationPolicy": "orphan" },
                labels: labels("pg"),
                name: "pg",
                namespace: "db",
                ownerReferences: [{ apiVersion: "v1", blockOwnerDeletion: true, kind: "ConfigMap", name: "pg-owner", uid: ownerUid }],
            },
            spec: {
                persistentVolumeClaimRetentionPolicy: retain,
                podManagementPolicy: "OrderedReady",
                replicas: 1,
                selector: { matchLabels: selector("pg") },
                serviceName: "pg-headless",
                template: {
                    metadata: { labels: labels("pg") },
                    spec: {
                        affinity: preferredHosts("pg"),
                        automountServiceAccountToken: false,
                        containers: [
                            {
                                env: [...identityEnv, { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" }, { name: "POSTGRES_DB", value: "app" }],
                                image: "postgres:16.4",
                                name: "pg",
                                ports: [{ containerPort: 5432, name: "pg", protocol: "TCP" }],
                                readinessProbe: { exec: { command: ["pg_isready", "-U", "postgres"] }, periodSeconds: 5 },
                                resources: { limits: { memory: "1Gi" }, requests: { cpu: "500m", memory: "1Gi" } },
                                securityContext: RESTRICTED_CONTAINER_SECURITY,
                                volumeMounts: [{ mountPath: "/var/lib/postgresql/data", name: "data" }],
                            },
                        ],
                        securityContext: RESTRICTED_POD_SECURITY,
                        terminationGracePeriodSeconds: 60,
                        topologySpreadConstraints: zoneSpread("pg"),
                    },
                },
                updateStrategy: { rollingUpdate: { partition: 0 }, type: "RollingUpdate" },
                volumeClaimTemplates: [
                    { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } }, storageClassName: "cw-fast" } },
                ],
            },
        });
        assert.deepStrictEqual(rec.get(SERVICE, "pg-headless").inputs, {
            apiVersion: "v1",
            kind: "Service",
            metadata: { labels: labels("pg"), name: "pg-headless", namespace: "db" },
            spec: {
                clusterIP: "None",
                ports: [{ name: "pg", port: 5432, protocol: "TCP", targetPort: "pg" }],
                publishNotReadyAddresses: true,
                selector: selector("pg"),
                type: "ClusterIP",
            },
        });
        assert.deepStrictEqual(rec.get(SERVICE, "pg").inputs, {
            apiVersion: "v1",
            kind: "Service",
            metadata: { labels: labels("pg"), name: "pg", namespace: "db" },
            spec: { ports: [{ name: "pg", port: 5432, protocol: "TCP", targetPort: "pg" }], selector: selector("pg"), type: "ClusterIP" },
        });
        assert.deepStrictEqual(rec.ofType(PDB), []);
        assert.deepStrictEqual(await valueOf(workload!.podDnsNames), ["pg-0.pg-headless.db.svc.cluster.local"]);
        assert.deepStrictEqual(await valueOf(workload!.claimNames), ["data-pg-0"]);
        assert.strictEqual(await valueOf(workload!.statefulSetName), "pg");
        assert.strictEqual(await valueOf(workload!.headlessServiceName), "pg-headless");
        assert.strictEqual(await valueOf(workload!.clientServiceName!), "pg");
    });

    it("renders a 3-replica ensemble with data and log volumes, Parallel and a shifted ordinal", async () => {
        let workload: StatefulWorkload | undefined;
        const rec = await render(() => {
            workload = new StatefulWorkload("zk", {
                namespace: "coord",
                image: "zookeeper:3.9.2",
                replicas: 3,
                ports: [
                    { name: "client", port: 2181 },
                    { name: "peer", port: 2888 },
                    { name: "election", port: 3888 },
                ],
                volumes: [
                    { name: "data", mountPath: "/data", size: "10Gi", storageClass: "gp3" },
                    { name: "datalog", mountPath: "/datalog", size: "5Gi", storageClass: "io2" },
                ],
                podManagementPolicy: "Parallel",
                ordinalEnvVar: { name: "ZK_ORDINAL", offset: 1, file: "/var/run/zookeeper/myid" },
                initContainers: [{ name: "init-config", command: ["sh", "-c", "cp /var/run/zookeeper/myid /data/myid"] }],
                spread: { hosts: "required" },
                skipAwait: true,
            });
            return { dns: workload.podDnsNames };
        });
        assertSchemaValid(rec);
        const ordinalEnv = { name: "ZK_ORDINAL", valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } } };
        const mounts = [
            { mountPath: "/data", name: "data" },
            { mountPath: "/datalog", name: "datalog" },
            { mountPath: "/var/run/zookeeper", name: "pod-ordinal", readOnly: true },
        ];
        const skipAwait = { "pulumi.com/skipAwait": "true" };
        assert.deepStrictEqual(rec.get(STS, "zk").inputs, {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: {
                annotations: { ...skipAwait, "pulumi.com/deletionPropagationPolicy": "orphan" },
                labels: labels("zk"),
                name: "zk",
                namespace: "coord",
                ownerReferences: [{ apiVersion: "v1", blockOwnerDeletion: true, kind: "ConfigMap", name: "zk-owner", uid: rec.get(OWNER, "zk-owner").state.metadata.uid }],
            },
            spec: {
                persistentVolumeClaimRetentionPolicy: retain,
                podManagementPolicy: "Parallel",
                replicas: 3,
                selector: { matchLabels: selector("zk") },
                serviceName: "zk-headless",
                template: {
                    metadata: { labels: labels("zk") },
                    spec: {
                        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [hostTerm("zk")] } },
                        automountServiceAccountToken: false,
                        containers: [
                            {
                                env: [...identityEnv, ordinalEnv],
                                image: "zookeeper:3.9.2",
                                name: "zk",
                                ports: [
                                    { containerPort: 2181, name: "client", protocol: "TCP" },
                                    { containerPort: 2888, name: "peer", protocol: "TCP" },
                                    { containerPort: 3888, name: "election", protocol: "TCP" },
                                ],
                                securityContext: RESTRICTED_CONTAINER_SECURITY,
                                volumeMounts: mounts,
                            },
                        ],
                        initContainers: [
                            {
                                command: ["sh", "-c", "echo $((ZK_ORDINAL + 1)) > /var/run/zookeeper/myid"],
                                env: [...identityEnv, ordinalEnv],
                                image: "zookeeper:3.9.2",
                                name: "pod-ordinal",
                                securityContext: RESTRICTED_CONTAINER_SECURITY,
                                volumeMounts: [{ mountPath: "/var/run/zookeeper", name: "pod-ordinal" }],
                            },
                            {
                                command: ["sh", "-c", "cp /var/run/zookeeper/myid /data/myid"],
                                env: [...identityEnv, ordinalEnv],
                                image: "zookeeper:3.9.2",
                                name: "init-config",
                                securityContext: RESTRICTED_CONTAINER_SECURITY,
                                volumeMounts: mounts,
                            },
                        ],
                        securityContext: RESTRICTED_POD_SECURITY,
                        topologySpreadConstraints: zoneSpread("zk"),
                        volumes: [{ emptyDir: { medium: "Memory", sizeLimit: "1Mi" }, name: "pod-ordinal" }],
                    },
                },
                updateStrategy: { rollingUpdate: { partition: 0 }, type: "RollingUpdate" },
                volumeClaimTemplates: [
                    { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, storageClassName: "gp3" } },
                    { metadata: { name: "datalog" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "5Gi" } }, storageClassName: "io2" } },
                ],
            },
        });
        const ports = [
            { name: "client", port: 2181, protocol: "TCP", targetPort: "client" },
            { name: "peer", port: 2888, protocol: "TCP", targetPort: "peer" },
            { name: "election", port: 3888, protocol: "TCP", targetPort: "election" },
        ];
        assert.deepStrictEqual(rec.get(SERVICE, "zk-headless").inputs, {
            apiVersion: "v1",
            kind: "Service",
            metadata: { annotations: skipAwait, labels: labels("zk"), name: "zk-headless", namespace: "coord" },
            spec: { clusterIP: "None", ports, publishNotReadyAddresses: true, selector: selector("zk"), type: "ClusterIP" },
        });
        assert.deepStrictEqual(rec.get(SERVICE, "zk").inputs, {
            apiVersion: "v1",
            kind: "Service",
            metadata: { annotations: skipAwait, labels: labels("zk"), name: "zk", namespace: "coord" },
            spec: { ports, selector: selector("zk"), type: "ClusterIP" },
        });
        const pdb = rec.get(PDB, "zk");
        assert.strictEqual(pdb.parent, urnOf("zk"));
        assert.deepStrictEqual(pdb.inputs, {
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: { labels: labels("zk"), name: "zk", namespace: "coord" },
            spec: { maxUnavailable: 1, selector: { matchLabels: selector("zk") } },
        });
        assert.deepStrictEqual(await valueOf(workload!.podDnsNames), [
            "zk-0.zk-headless.coord.svc.cluster.local",
            "zk-1.zk-headless.coord.svc.cluster.local",
            "zk-2.zk-headless.coord.svc.cluster.local",
        ]);
        assert.deepStrictEqual(await valueOf(workload!.claimNames), ["data-zk-0", "data-zk-1", "data-zk-2", "datalog-zk-0", "datalog-zk-1", "datalog-zk-2"]);
    });

    it("renders an EFS-backed ReadWriteMany workload", async () => {
        let workload: StatefulWorkload | undefined;
        const rec = await render(() => {
            const shared = new EfsStorageClass("cw-efs", { fileSystemId: "fs-0123456789abcdef0" });
            workload = new StatefulWorkload("assets", {
                namespace: "web",
                image: "ghcr.io/example/assets:1.4.0",
                replicas: 2,
                ports: [{ name: "http", port: 80, targetPort: 8080 }],
                volumes: [{ name: "content", mountPath: "/srv/content", size: "5Gi", storageClass: shared, accessModes: ["ReadWriteMany"] }],
                updateStrategy: { type: "RollingUpdate", partition: 1 },
                disruptionBudget: { minAvailable: 1 },
                livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
                clusterDomain: "example.internal",
            });
            return { dns: workload.podDnsNames };
        });
        assertSchemaValid(rec);
        const sts = rec.get(STS, "assets").inputs;
        assert.deepStrictEqual(sts.spec.volumeClaimTemplates, [
            { metadata: { name: "content" }, spec: { accessModes: ["ReadWriteMany"], resources: { requests: { storage: "5Gi" } }, storageClassName: "cw-efs" } },
        ]);
        assert.deepStrictEqual(sts.spec.updateStrategy, { rollingUpdate: { partition: 1 }, type: "RollingUpdate" });
        assert.deepStrictEqual(sts.spec.template.spec.containers, [
            {
                env: identityEnv,
                image: "ghcr.io/example/assets:1.4.0",
                livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
                name: "assets",
                ports: [{ containerPort: 8080, name: "http", protocol: "TCP" }],
                securityContext: RESTRICTED_CONTAINER_SECURITY,
                volumeMounts: [{ mountPath: "/srv/content", name: "content" }],
            },
        ]);
        assert.deepStrictEqual(sts.spec.template.spec.affinity, preferredHosts("assets"));
        assert.deepStrictEqual(rec.get(SERVICE, "assets-headless").inputs.spec, {
            clusterIP: "None",
            ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }],
            publishNotReadyAddresses: true,
            selector: selector("assets"),
            type: "ClusterIP",
        });
        assert.deepStrictEqual(rec.get(SERVICE, "assets").inputs.spec, {
            ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }],
            selector: selector("assets"),
            type: "ClusterIP",
        });
        assert.deepStrictEqual(rec.get(PDB, "assets").inputs.spec, { minAvailable: 1, selector: { matchLabels: selector("assets") } });
        assert.deepStrictEqual(await valueOf(workload!.podDnsNames), [
            "assets-0.assets-headless.web.svc.example.internal",
            "assets-1.assets-headless.web.svc.example.internal",
        ]);
    });

    it("wires external stores: env and envFrom on the main container, checksum annotation, wait-for-store first", async () => {
        let store: ExternalStore | undefined;
        const rec = await render(() => {
            store = new ExternalStore("orders-db", { namespace: "shop", engine: "postgresql", hosts: ["orders.example.com"], username: "app", password: pulumi.secret("s3cret") });
            new StatefulWorkload("worker", {
                namespace: "shop",
                image: "ghcr.io/example/worker:2.0.0",
                ports: [{ name: "http", port: 8080 }],
                externalStores: [store],
                podAnnotations: { "example.com/team": "orders" },
                initContainers: [{ name: "migrate", command: ["/app/migrate"] }],
            });
        });
        assertSchemaValid(rec);
        const template = rec.get(STS, "worker").inputs.spec.template;
        const storeEnv = await valueOf(store!.env);
        const storeEnvFrom = await valueOf(store!.envFrom);
        const checksum = await valueOf(store!.checksum);
        assert.deepStrictEqual(template.metadata.annotations, { "example.com/team": "orders", "stateful-stacks.io/store-orders-db-checksum": checksum });
        const [main] = template.spec.containers;
        assert.deepStrictEqual(main.env, [...identityEnv, ...storeEnv]);
        assert.deepStrictEqual(main.envFrom, storeEnvFrom);
        assert.deepStrictEqual(
            template.spec.initContainers.map((c: { name: string }) => c.name),
            ["wait-for-orders-db", "migrate"],
        );
        assert.ok(!JSON.stringify(rec.get(STS, "worker").inputs).includes("s3cret"), "the password never reaches the StatefulSet");
    });

    it("names everything after an explicit statefulSetName and drops the optional objects", async () => {
        let workload: StatefulWorkload | undefined;
        const rec = await render(() => {
            workload = new StatefulWorkload(
                "Orders Database",
                {
                    namespace: "shop",
                    statefulSetName: "orders",
                    containerName: "postgres",
                    image: "postgres:16.4",
                    replicas: 2,
                    ports: [{ name: "pg", port: 5432 }],
                    clientService: false,
                    disruptionBudget: false,
                    spread: { zones: "none", hosts: "none" },
                    updateStrategy: { type: "OnDelete" },
                    pvcRetention: { whenScaled: "Delete" },
                },
                { retainOnDelete: true },
            );
            return { dns: workload.podDnsNames };
        });
        assertSchemaValid(rec);
        assert.deepStrictEqual(
            rec.childrenOf(urnOf("Orders Database")).map((r) => `${r.type}::${r.name}::${r.inputs.metadata.name}`).sort(),
            [`${STS}::Orders Database::orders`, `${OWNER}::Orders Database-owner::orders-owner`, `${SERVICE}::Orders Database-headless::orders-headless`],
        );
        assert.strictEqual(rec.get(OWNER, "Orders Database-owner").retainOnDelete, true);
        const sts = rec.get(STS, "Orders Database");
        assert.strictEqual(sts.retainOnDelete, true);
        assert.strictEqual(rec.get(SERVICE, "Orders Database-headless").retainOnDelete, false);
        assert.deepStrictEqual(sts.inputs.spec.updateStrategy, { type: "OnDelete" });
        assert.deepStrictEqual(sts.inputs.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Retain", whenScaled: "Delete" });
        assert.strictEqual(sts.inputs.spec.template.spec.containers[0].name, "postgres");
        assert.strictEqual(sts.inputs.spec.template.spec.affinity, undefined);
        assert.strictEqual(sts.inputs.spec.template.spec.topologySpreadConstraints, undefined);
        assert.strictEqual(sts.inputs.spec.volumeClaimTemplates, undefined);
        assert.strictEqual(workload!.clientService, undefined);
        assert.strictEqual(workload!.disruptionBudget, undefined);
        assert.deepStrictEqual(await valueOf(workload!.claimNames), []);
        assert.deepStrictEqual(await valueOf(workload!.podDnsNames), ["orders-0.orders-headless.shop.svc.cluster.local", "orders-1.orders-headless.shop.svc.cluster.local"]);
    });

    it("gives a single replica a budget that never blocks drains when asked for one", async () => {
        const rec = await render(() => {
            new StatefulWorkload("solo", { namespace: "db", image: "redis:7.4", ports: [{ name: "redis", port: 6379 }], disruptionBudget: {} });
        });
        assertSchemaValid(rec);
        assert.deepStrictEqual(rec.get(PDB, "solo").inputs.spec, { maxUnavailable: 1, selector: { matchLabels: selector("solo") } });
    });

    it("passes Output namespace and image through", async () => {
        let workload: StatefulWorkload | undefined;
        const rec = await render(() => {
            workload = new StatefulWorkload("late", { namespace: pulumi.output("ops"), image: pulumi.output("busybox:1.37.0"), ports: [{ name: "http", port: 80 }] });
            return { dns: workload.podDnsNames };
        });
        assertSchemaValid(rec);
        assert.strictEqual(rec.get(STS, "late").inputs.metadata.namespace, "ops");
        assert.strictEqual(rec.get(STS, "late").inputs.spec.template.spec.containers[0].image, "busybox:1.37.0");
        assert.deepStrictEqual(await valueOf(workload!.podDnsNames), ["late-0.late-headless.ops.svc.cluster.local"]);
    });
});
