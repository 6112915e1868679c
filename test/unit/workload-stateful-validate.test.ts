import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT_CHECK } from "../../components/common/checks";
import { EXPECT } from "../../components/common/kubernetes";
import { ExternalStore } from "../../components/external/external-store";
import { EbsStorageClass } from "../../components/storage/ebs-storage-class";
import { EfsStorageClass } from "../../components/storage/efs-storage-class";
import { StatefulWorkload, StatefulWorkloadArgs } from "../../components/workload/stateful-workload";
import { classifyStorageClass, isQualifiedName, resolveOrdinal, validateStatefulWorkloadArgs } from "../../components/workload/stateful-workload-validate";
import { StorageClassReference } from "../../components/common/storage-class-ref";
import { expectInvalid, recorder, render } from "../support/pulumi";
import { asReference } from "../support/storage-references";

const STS_NAME = "must be a DNS-1123 label starting with a letter, at most 52 characters (the controller-revision-hash label must fit in 63, and the Services are named after it)";
const PATH = EXPECT_CHECK.absolutePath;
const IMAGE = EXPECT_CHECK.image;
const QUANTITY = `${EXPECT.quantity}, given as a string`;
const ORDINAL_FILE = "must name a file below a directory other than \"/\", using only letters, digits, '.', '_', '-' and '/' (it is written by a shell command)";
const PROBE_PORT = "must be one of the port names (pg) or a number from 1 to 65535";
const ROOT_POD = "cannot be 0 while runAsNonRoot is true; set securityContext.pod.runAsNonRoot: false to run as root";
const ROOT_CONTAINER = "cannot be 0 while runAsNonRoot is true; set securityContext.container.runAsNonRoot: false to run as root";
const ANNOTATION_KEY = "must be a qualified name: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.'";
const ONE_OF_RETENTION = 'must be one of "Retain", "Delete"';
const ONE_OF_SPREAD = 'must be one of "preferred", "required", "none"';
const BUDGET_VALUE = 'must be an integer ≥ 0 or a percentage from "0%" to "100%"';
const CONTAINER_UNIQUE = "must be unique among the pod's containers (the main container, the ordinal writer, the wait-for-store containers and the other init containers)";

/** A valid single-replica database; every case changes one thing. */
const base: StatefulWorkloadArgs = {
    namespace: "db",
    image: "postgres:16.4",
    ports: [{ name: "pg", port: 5432 }],
    volumes: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "20Gi", storageClass: "gp3" }],
};

type Fixtures = {
    gp3: StorageClassReference;
    gp3Fast: StorageClassReference;
    io1: StorageClassReference;
    st1: StorageClassReference;
    efs: StorageClassReference;
    store: ExternalStore;
    storeElsewhere: ExternalStore;
    storeSamePrefix: ExternalStore;
};

function withVolume(volume: Partial<NonNullable<StatefulWorkloadArgs["volumes"]>[number]>): Partial<StatefulWorkloadArgs> {
    return { volumes: [{ ...base.volumes![0], ...volume }] };
}

interface Case {
    readonly title: string;
    readonly name?: string;
    readonly change: (f: Fixtures) => Partial<StatefulWorkloadArgs> & Record<string, unknown>;
    /** [path, value as rendered, expectation] of every problem, in order. */
    readonly problems: readonly (readonly [string, string, string])[];
}

const badInputs: Case[] = [
    { title: "namespace not a label", change: () => ({ namespace: "DB" }), problems: [["namespace", '"DB"', EXPECT.dns1123Label]] },
    { title: "namespace missing", change: () => ({ namespace: undefined as unknown as string }), problems: [["namespace", "undefined", "is required: the namespace of every object"]] },
    { title: "empty image", change: () => ({ image: "" }), problems: [["image", '""', IMAGE]] },
    { title: "blank image", change: () => ({ image: "  " }), problems: [["image", '"  "', IMAGE]] },
    {
        title: "component name unusable as StatefulSet name",
        name: "Postgres",
        change: () => ({}),
        problems: [["statefulSetName", '"Postgres"', `${STS_NAME}; it defaults to the component name, so set it explicitly`]],
    },
    { title: "StatefulSet name of 53 characters", change: () => ({ statefulSetName: "a".repeat(53) }), problems: [["statefulSetName", `"${"a".repeat(53)}"`, STS_NAME]] },
    { title: "StatefulSet name starting with a digit", change: () => ({ statefulSetName: "1pg" }), problems: [["statefulSetName", '"1pg"', STS_NAME]] },
    { title: "StatefulSet name with a dot", change: () => ({ statefulSetName: "pg.main" }), problems: [["statefulSetName", '"pg.main"', STS_NAME]] },
    { title: "container name upper-case", change: () => ({ containerName: "Main" }), problems: [["containerName", '"Main"', EXPECT.dns1123Label]] },
    { title: "negative replicas", change: () => ({ replicas: -1 }), problems: [["replicas", "-1", "must be an integer from 0 to 10000"]] },
    { title: "fractional replicas", change: () => ({ replicas: 1.5 }), problems: [["replicas", "1.5", "must be an integer from 0 to 10000"]] },
    { title: "no ports", change: () => ({ ports: [] }), problems: [["ports", "[]", "must list at least one port"]] },
    {
        title: "port name longer than 15",
        change: () => ({ ports: [{ name: "postgres-primary", port: 5432 }] }),
        problems: [["ports[0].name", '"postgres-primary"', EXPECT.portName]],
    },
    {
        title: "duplicate port names",
        change: () => ({ ports: [{ name: "pg", port: 5432 }, { name: "pg", port: 5433 }] }),
        problems: [["ports[1].name", '"pg"', "must be unique among the ports"]],
    },
    {
        title: "the same port twice on one protocol",
        change: () => ({ ports: [{ name: "pg", port: 5432 }, { name: "pg-alt", port: 5432, targetPort: 5433 }] }),
        problems: [["ports[1].port", "5432", "must be unique per protocol among the ports: the Services cannot expose 5432/TCP twice"]],
    },
    { title: "port 0", change: () => ({ ports: [{ name: "pg", port: 0 }] }), problems: [["ports[0].port", "0", EXPECT.port]] },
    { title: "port 70000", change: () => ({ ports: [{ name: "pg", port: 70000 }] }), problems: [["ports[0].port", "70000", EXPECT.port]] },
    { title: "targetPort 0", change: () => ({ ports: [{ name: "pg", port: 5432, targetPort: 0 }] }), problems: [["ports[0].targetPort", "0", EXPECT.port]] },
    {
        title: "unknown protocol",
        change: () => ({ ports: [{ name: "pg", port: 5432, protocol: "HTTP" as "TCP" }] }),
        problems: [["ports[0].protocol", '"HTTP"', 'must be one of "TCP", "UDP", "SCTP"']],
    },
    { title: "env name starting with a digit", change: () => ({ env: { "1X": "a" } }), problems: [["env.1X", '"1X"', EXPECT.envVarName]] },
    {
        title: "env reusing POD_NAME",
        change: () => ({ env: { POD_NAME: "x" } }),
        problems: [["env.POD_NAME", '"POD_NAME"', "must not be one of the variables the workload sets itself (POD_NAME, POD_NAMESPACE)"]],
    },
    {
        title: "env reusing the ordinal variable",
        change: () => ({ ordinalEnvVar: "ORDINAL", env: { ORDINAL: "1" } }),
        problems: [["env.ORDINAL", '"ORDINAL"', "must not be one of the variables the workload sets itself (POD_NAME, POD_NAMESPACE, ORDINAL)"]],
    },
    { title: "env value not a string", change: () => ({ env: { MODE: 3 as unknown as string } }), problems: [["env.MODE", "3", "must be a string"]] },
    { title: "ordinal variable with a dash", change: () => ({ ordinalEnvVar: "my-ordinal" }), problems: [["ordinalEnvVar", '"my-ordinal"', EXPECT.envVarName]] },
    {
        title: "ordinal variable POD_NAME",
        change: () => ({ ordinalEnvVar: "POD_NAME" }),
        problems: [["ordinalEnvVar", '"POD_NAME"', "must not be POD_NAME or POD_NAMESPACE, which the workload sets itself"]],
    },
    {
        title: "fractional ordinal offset",
        change: () => ({ ordinalEnvVar: { name: "MYID", offset: 1.5 } }),
        problems: [["ordinalEnvVar.offset", "1.5", "must be an integer from -1000000 to 1000000"]],
    },
    { title: "relative ordinal file", change: () => ({ ordinalEnvVar: { name: "MYID", offset: 1, file: "myid" } }), problems: [["ordinalEnvVar.file", '"myid"', PATH]] },
    { title: "ordinal file in /", change: () => ({ ordinalEnvVar: { name: "MYID", offset: 1, file: "/myid" } }), problems: [["ordinalEnvVar.file", '"/myid"', ORDINAL_FILE]] },
    {
        title: "ordinal file with shell characters",
        change: () => ({ ordinalEnvVar: { name: "MYID", offset: 1, file: "/run/$(id)/myid" } }),
        problems: [["ordinalEnvVar.file", '"/run/$(id)/myid"', ORDINAL_FILE]],
    },
    { title: "volume name upper-case", change: () => withVolume({ name: "Data" }), problems: [["volumes[0].name", '"Data"', EXPECT.dns1123Label]] },
    {
        title: "duplicate volume names",
        change: () => ({ volumes: [base.volumes![0], { ...base.volumes![0], mountPath: "/wal" }] }),
        problems: [["volumes[1].name", '"data"', "must be unique among the volumes"]],
    },
    { title: "relative mount path", change: () => withVolume({ mountPath: "data" }), problems: [["volumes[0].mountPath", '"data"', PATH]] },
    { title: "mount path with ..", change: () => withVolume({ mountPath: "/data/../etc" }), problems: [["volumes[0].mountPath", '"/data/../etc"', PATH]] },
    { title: "mount path /", change: () => withVolume({ mountPath: "/" }), problems: [["volumes[0].mountPath", '"/"', PATH]] },
    {
        title: "duplicate mount paths",
        change: () => ({ volumes: [base.volumes![0], { ...base.volumes![0], name: "wal" }] }),
        problems: [["volumes[1].mountPath", '"/var/lib/postgresql/data"', "must be unique among the volumes"]],
    },
    { title: "size in GB", change: () => withVolume({ size: "20GB" }), problems: [["volumes[0].size", '"20GB"', `${EXPECT.quantity}; did you mean "20Gi"?`]] },
    { title: "size as a number", change: () => withVolume({ size: 20 as unknown as string }), problems: [["volumes[0].size", "20", QUANTITY]] },
    { title: "size zero", change: () => withVolume({ size: "0" }), problems: [["volumes[0].size", '"0"', "must be greater than zero"]] },
    { title: "class name with an underscore", change: () => withVolume({ storageClass: "fast_ssd" }), problems: [["volumes[0].storageClass", '"fast_ssd"', EXPECT.dns1123Subdomain]] },
    {
        title: "class neither component nor name",
        change: () => withVolume({ storageClass: {} as string }),
        problems: [["volumes[0].storageClass", "{}", "must be a StorageClassReference (an EbsStorageClass, an EfsStorageClass), another storage class component or a StorageClass name"]],
    },
    { title: "no access modes", change: () => withVolume({ accessModes: [] }), problems: [["volumes[0].accessModes", "[]", "must list at least one access mode"]] },
    {
        title: "unknown access mode",
        change: () => withVolume({ accessModes: ["ReadWriteAll" as "ReadWriteOnce"] }),
        problems: [["volumes[0].accessModes[0]", '"ReadWriteAll"', 'must be one of "ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"']],
    },
    {
        title: "repeated access mode",
        change: () => withVolume({ accessModes: ["ReadWriteOnce", "ReadWriteOnce"] }),
        problems: [["volumes[0].accessModes", '["ReadWriteOnce","ReadWriteOnce"]', "must not repeat an access mode"]],
    },
    {
        title: "ReadWriteOncePod with another mode",
        change: () => withVolume({ accessModes: ["ReadWriteOncePod", "ReadWriteOnce"] }),
        problems: [["volumes[0].accessModes", '["ReadWriteOncePod","ReadWriteOnce"]', "cannot combine ReadWriteOncePod with another mode"]],
    },
    {
        title: "ReadWriteMany on an EBS class",
        change: (f) => withVolume({ storageClass: f.gp3, accessModes: ["ReadWriteMany"] }),
        problems: [
            [
                "volumes[0].accessModes",
                '["ReadWriteMany"]',
                "cannot include ReadWriteMany or ReadOnlyMany on an EBS StorageClass (a block volume attaches to one node); use an EfsStorageClass",
            ],
        ],
    },
    {
        title: "ReadOnlyMany on an EBS class",
        change: (f) => withVolume({ storageClass: f.io1, size: "100Gi", accessModes: ["ReadOnlyMany"] }),
        problems: [
            [
                "volumes[0].accessModes",
                '["ReadOnlyMany"]',
                "cannot include ReadWriteMany or ReadOnlyMany on an EBS StorageClass (a block volume attaches to one node); use an EfsStorageClass",
            ],
        ],
    },
    { title: "gp3 above 64 TiB", change: (f) => withVolume({ storageClass: f.gp3, size: "65Ti" }), problems: [["volumes[0].size", '"65Ti"', "must be from 1Gi to 65536Gi for an EBS gp3 volume"]] },
    { title: "io1 below 4 GiB", change: (f) => withVolume({ storageClass: f.io1, size: "2Gi" }), problems: [["volumes[0].size", '"2Gi"', "must be from 4Gi to 16384Gi for an EBS io1 volume"]] },
    { title: "st1 below 125 GiB", change: (f) => withVolume({ storageClass: f.st1, size: "100Gi" }), problems: [["volumes[0].size", '"100Gi"', "must be from 125Gi to 16384Gi for an EBS st1 volume"]] },
    {
        title: "io1 IOPS above 50 per GiB",
        change: (f) => withVolume({ storageClass: f.io1, size: "10Gi" }),
        problems: [["volumes[0].size", '"10Gi"', "must be at least 20Gi: the StorageClass provisions 1000 IOPS and io1 allows at most 50 IOPS per GiB"]],
    },
    {
        title: "gp3 IOPS above 500 per GiB",
        change: (f) => withVolume({ storageClass: f.gp3Fast, size: "20Gi" }),
        problems: [["volumes[0].size", '"20Gi"', "must be at least 32Gi: the StorageClass provisions 16000 IOPS and gp3 allows at most 500 IOPS per GiB"]],
    },
    {
        title: "volume named like the ordinal volume",
        change: () => ({ ordinalEnvVar: { name: "MYID", offset: 1 }, ...withVolume({ name: "pod-ordinal" }) }),
        problems: [["volumes[0].name", '"pod-ordinal"', 'must not be "pod-ordinal", the volume that holds the ordinal file']],
    },
    {
        title: "volume mounted on the ordinal directory",
        change: () => ({ ordinalEnvVar: { name: "MYID", offset: 1 }, ...withVolume({ mountPath: "/var/run/pod-ordinal" }) }),
        problems: [["volumes[0].mountPath", '"/var/run/pod-ordinal"', "must not be the directory of ordinalEnvVar.file (/var/run/pod-ordinal/ordinal), which gets its own emptyDir"]],
    },
    {
        title: "unknown pod management policy",
        change: () => ({ podManagementPolicy: "Random" as "Parallel" }),
        problems: [["podManagementPolicy", '"Random"', 'must be one of "OrderedReady", "Parallel"']],
    },
    {
        title: "unknown update strategy",
        change: () => ({ updateStrategy: { type: "Recreate" as "OnDelete" } }),
        problems: [["updateStrategy.type", '"Recreate"', 'must be one of "RollingUpdate", "OnDelete"']],
    },
    {
        title: "partition above replicas",
        change: () => ({ replicas: 3, updateStrategy: { type: "RollingUpdate", partition: 4 } }),
        problems: [["updateStrategy.partition", "4", "must be an integer from 0 to replicas (3)"]],
    },
    {
        title: "negative partition",
        change: () => ({ updateStrategy: { type: "RollingUpdate", partition: -1 } }),
        problems: [["updateStrategy.partition", "-1", "must be an integer from 0 to replicas (1)"]],
    },
    {
        title: "maxUnavailable 0",
        change: () => ({ updateStrategy: { type: "RollingUpdate", maxUnavailable: 0 } }),
        problems: [["updateStrategy.maxUnavailable", "0", 'must be an integer ≥ 1 or a percentage from "1%" to "100%"']],
    },
    {
        title: "maxUnavailable 150%",
        change: () => ({ updateStrategy: { type: "RollingUpdate", maxUnavailable: "150%" } }),
        problems: [["updateStrategy.maxUnavailable", '"150%"', 'must be an integer ≥ 1 or a percentage from "1%" to "100%"']],
    },
    {
        title: "OnDelete with a partition",
        change: () => ({ updateStrategy: { type: "OnDelete", partition: 1 } as unknown as { type: "OnDelete" } }),
        problems: [["updateStrategy", '{"type":"OnDelete","partition":1}', "cannot combine OnDelete with partition or maxUnavailable, which only apply to RollingUpdate"]],
    },
    { title: "negative minReadySeconds", change: () => ({ minReadySeconds: -5 }), problems: [["minReadySeconds", "-5", "must be an integer from 0 to 2147483647"]] },
    {
        title: "unknown retention on delete",
        change: () => ({ pvcRetention: { whenDeleted: "Destroy" as "Delete" } }),
        problems: [["pvcRetention.whenDeleted", '"Destroy"', ONE_OF_RETENTION]],
    },
    {
        title: "lower-case retention on scale",
        change: () => ({ pvcRetention: { whenScaled: "delete" as "Delete" } }),
        problems: [["pvcRetention.whenScaled", '"delete"', `${ONE_OF_RETENTION}; did you mean "Delete"?`]],
    },
    { title: "init container name upper-case", change: () => ({ initContainers: [{ name: "Init" }] }), problems: [["initContainers[0].name", '"Init"', EXPECT.dns1123Label]] },
    {
        title: "init container named like the main container",
        change: () => ({ initContainers: [{ name: "pg" }] }),
        name: "pg",
        problems: [["initContainers[0].name", '"pg"', CONTAINER_UNIQUE]],
    },
    {
        title: "duplicate init containers",
        change: () => ({ initContainers: [{ name: "wait" }, { name: "wait" }] }),
        problems: [["initContainers[1].name", '"wait"', CONTAINER_UNIQUE]],
    },
    {
        title: "init container named like the ordinal writer",
        change: () => ({ ordinalEnvVar: { name: "MYID", offset: 1 }, initContainers: [{ name: "pod-ordinal" }] }),
        problems: [["initContainers[0].name", '"pod-ordinal"', CONTAINER_UNIQUE]],
    },
    { title: "init container empty image", change: () => ({ initContainers: [{ name: "init", image: "" }] }), problems: [["initContainers[0].image", '""', IMAGE]] },
    {
        title: "init container env reusing POD_NAMESPACE",
        change: () => ({ initContainers: [{ name: "init", env: { POD_NAMESPACE: "x" } }] }),
        problems: [["initContainers[0].env.POD_NAMESPACE", '"POD_NAMESPACE"', "must not be one of the variables the workload sets itself (POD_NAME, POD_NAMESPACE)"]],
    },
    {
        title: "init container memory in GB",
        change: () => ({ initContainers: [{ name: "init", resources: { requests: { memory: "1GB" } } }] }),
        problems: [["initContainers[0].resources.requests.memory", '"1GB"', QUANTITY]],
    },
    { title: "memory request in GB", change: () => ({ resources: { requests: { memory: "1GB" } } }), problems: [["resources.requests.memory", '"1GB"', QUANTITY]] },
    { title: "cpu limit not a quantity", change: () => ({ resources: { limits: { cpu: "lots" } } }), problems: [["resources.limits.cpu", '"lots"', QUANTITY]] },
    {
        title: "liveness probe on an unknown port name",
        change: () => ({ livenessProbe: { httpGet: { path: "/health", port: "http" } } }),
        problems: [["livenessProbe.httpGet.port", '"http"', PROBE_PORT]],
    },
    { title: "readiness probe on port 0", change: () => ({ readinessProbe: { tcpSocket: { port: 0 } } }), problems: [["readinessProbe.tcpSocket.port", "0", PROBE_PORT]] },
    {
        title: "startup probe with two handlers",
        change: () => ({ startupProbe: { exec: { command: ["true"] }, tcpSocket: { port: "pg" } } }),
        problems: [["startupProbe", '["exec","tcpSocket"]', "must have exactly one of exec, grpc, httpGet, tcpSocket"]],
    },
    { title: "probe without a handler", change: () => ({ livenessProbe: { periodSeconds: 10 } }), problems: [["livenessProbe", "[]", "must have exactly one of exec, grpc, httpGet, tcpSocket"]] },
    { title: "negative grace period", change: () => ({ terminationGracePeriodSeconds: -1 }), problems: [["terminationGracePeriodSeconds", "-1", "must be an integer ≥ 0"]] },
    { title: "pod as root while non-root", change: () => ({ securityContext: { pod: { runAsUser: 0 } } }), problems: [["securityContext.pod.runAsUser", "0", ROOT_POD]] },
    {
        title: "container as root while non-root",
        change: () => ({ securityContext: { container: { runAsUser: 0 } } }),
        problems: [["securityContext.container.runAsUser", "0", ROOT_CONTAINER]],
    },
    { title: "service account upper-case", change: () => ({ serviceAccountName: "Admin" }), problems: [["serviceAccountName", '"Admin"', EXPECT.dns1123Subdomain]] },
    { title: "unknown zone spread", change: () => ({ spread: { zones: "always" as "required" } }), problems: [["spread.zones", '"always"', ONE_OF_SPREAD]] },
    { title: "unknown host spread", change: () => ({ spread: { hosts: "strict" as "required" } }), problems: [["spread.hosts", '"strict"', ONE_OF_SPREAD]] },
    {
        title: "budget with both limits",
        change: () => ({ disruptionBudget: { maxUnavailable: 1, minAvailable: 1 } }),
        problems: [["disruptionBudget", '{"maxUnavailable":1,"minAvailable":1}', "cannot set both minAvailable and maxUnavailable"]],
    },
    { title: "negative budget", change: () => ({ disruptionBudget: { maxUnavailable: -1 } }), problems: [["disruptionBudget.maxUnavailable", "-1", BUDGET_VALUE]] },
    { title: "budget above 100%", change: () => ({ disruptionBudget: { minAvailable: "101%" } }), problems: [["disruptionBudget.minAvailable", '"101%"', BUDGET_VALUE]] },
    {
        title: "budget not an object",
        change: () => ({ disruptionBudget: "yes" as unknown as false }),
        problems: [["disruptionBudget", '"yes"', "must be false or an object with maxUnavailable or minAvailable"]],
    },
    { title: "clientService not a boolean", change: () => ({ clientService: "yes" as unknown as boolean }), problems: [["clientService", '"yes"', "must be true or false"]] },
    { title: "annotation key with a space", change: () => ({ podAnnotations: { "bad key": "x" } }), problems: [["podAnnotations.bad key", '"bad key"', ANNOTATION_KEY]] },
    {
        title: "annotation value not a string",
        change: () => ({ podAnnotations: { "example.com/revision": 3 as unknown as string } }),
        problems: [["podAnnotations.example.com/revision", "3", "must be a string"]],
    },
    { title: "cluster domain upper-case", change: () => ({ clusterDomain: "Cluster.Local" }), problems: [["clusterDomain", '"Cluster.Local"', EXPECT.dns1123Subdomain]] },
    {
        title: "external store not a component",
        change: () => ({ externalStores: [{ storeName: "orders" } as unknown as ExternalStore] }),
        problems: [["externalStores[0]", '{"storeName":"orders"}', "must be an ExternalStore component"]],
    },
    {
        title: "external store in another namespace",
        change: (f) => ({ externalStores: [f.storeElsewhere] }),
        problems: [
            [
                "externalStores[0].namespace",
                '"other"',
                'must be the pods\' namespace "db": pods can only read ConfigMaps and Secrets of their own namespace',
            ],
        ],
    },
    {
        title: "external stores sharing an env prefix",
        change: (f) => ({ externalStores: [f.store, f.storeSamePrefix] }),
        problems: [["externalStores[1].envPrefix", '"DB_"', "is also used by externalStores[0]; give each store its own envPrefix"]],
    },
    {
        title: "an init container named like a store's wait container",
        change: (f) => ({ externalStores: [f.store], initContainers: [{ name: "wait-for-wv-store", image: "busybox:1.37.0" }] }),
        problems: [["initContainers[0].name", '"wait-for-wv-store"', CONTAINER_UNIQUE]],
    },
];

describe("StatefulWorkload argument validation", () => {
    let fixtures: Fixtures;

    before(async () => {
        await recorder();
        fixtures = {
            gp3: asReference(new EbsStorageClass("wv-gp3", {}), "wv-gp3"),
            gp3Fast: asReference(new EbsStorageClass("wv-gp3-fast", { iops: 16000, throughputMibps: 1000 }), "wv-gp3-fast"),
            io1: asReference(new EbsStorageClass("wv-io1", { volumeType: "io1", iops: 1000 }), "wv-io1"),
            st1: asReference(new EbsStorageClass("wv-st1", { volumeType: "st1" }), "wv-st1"),
            efs: asReference(new EfsStorageClass("wv-efs", { fileSystemId: "fs-0123456789abcdef0" }), "wv-efs"),
            store: new ExternalStore("wv-store", { namespace: "db", engine: "postgresql", hosts: ["db.example.com"], password: "pw" }),
            storeElsewhere: new ExternalStore("wv-elsewhere", { namespace: "other", engine: "postgresql", hosts: ["db.example.com"], envPrefix: "OTHER_", password: "pw" }),
            storeSamePrefix: new ExternalStore("wv-same-prefix", { namespace: "db", engine: "mysql", hosts: ["my.example.com"], password: "pw" }),
        };
    });

    it("accepts the base arguments", () => {
        assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", base), []);
    });

    it("accepts every storage class kind with a fitting claim", () => {
        const args: StatefulWorkloadArgs = {
            ...base,
            volumes: [
                { name: "data", mountPath: "/data", size: "32Gi", storageClass: fixtures.gp3Fast },
                { name: "wal", mountPath: "/wal", size: "20Gi", storageClass: fixtures.io1, accessModes: ["ReadWriteOncePod"] },
                { name: "archive", mountPath: "/archive", size: "125Gi", storageClass: fixtures.st1 },
                { name: "shared", mountPath: "/shared", size: "1Gi", storageClass: fixtures.efs, accessModes: ["ReadWriteMany"] },
            ],
            externalStores: [fixtures.store],
        };
        assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", args), []);
    });

    it("accepts 1 GiB gp3 at the included 3,000 IOPS baseline", () => {
        const args = { ...base, ...withVolume({ storageClass: fixtures.gp3, size: "1Gi" }) };
        assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", args), []);
    });

    it("leaves an Output namespace and image to the API server", () => {
        const args: StatefulWorkloadArgs = { ...base, namespace: pulumi.output("DB"), image: pulumi.output("") };
        assert.deepStrictEqual(validateStatefulWorkloadArgs("pg", args), []);
    });

    it(`has at least 40 bad-input cases (${badInputs.length})`, () => {
        assert.ok(badInputs.length >= 40);
    });

    for (const c of badInputs) {
        it(`refuses ${c.title}`, () => {
            const args = { ...base, ...c.change(fixtures) } as StatefulWorkloadArgs;
            const problems = validateStatefulWorkloadArgs(c.name ?? "pg", args).map((p) => [p.path, p.value, p.expected]);
            assert.deepStrictEqual(problems, c.problems);
        });
    }

    it("reports every problem at once", () => {
        const args = { ...base, namespace: "DB", replicas: -1, ports: [{ name: "pg", port: 0 }], ...withVolume({ size: "20GB" }) };
        const paths = validateStatefulWorkloadArgs("pg", args).map((p) => p.path);
        assert.deepStrictEqual(paths, ["namespace", "replicas", "ports[0].port", "volumes[0].size"]);
    });

    it("refuses arguments that are not an object", () => {
        const problems = validateStatefulWorkloadArgs("pg", undefined as unknown as StatefulWorkloadArgs);
        assert.deepStrictEqual(problems, [{ path: "args", value: "undefined", expected: "must be an object" }]);
    });

    it("throws one InputPropertiesError from the constructor and registers nothing", async () => {
        let refused: { message: string; paths: string[] } | undefined;
        const rec = await render(() => {
            refused = expectInvalid(() => new StatefulWorkload("pg", { ...base, namespace: "DB", ...withVolume({ size: "20GB" }) }));
        });
        assert.deepStrictEqual(rec.resources, []);
        assert.deepStrictEqual(refused, {
            message: [
                'StatefulWorkload "pg" has 2 invalid arguments:',
                `  - namespace: ${EXPECT.dns1123Label} (got "DB")`,
                `  - volumes[0].size: ${EXPECT.quantity}; did you mean "20Gi"? (got "20GB")`,
            ].join("\n"),
            paths: ["namespace", "volumes[0].size"],
        });
    });

    it("never prints an external store's password in a refusal", () => {
        const problems = validateStatefulWorkloadArgs("pg", { ...base, externalStores: [fixtures.storeElsewhere] });
        assert.ok(problems.every((p) => !p.value.includes("pw") && !p.expected.includes("pw")));
    });
});

describe("StatefulWorkload validation helpers", () => {
    it("classifies class names and unknown objects", () => {
        assert.deepStrictEqual(classifyStorageClass("gp3"), { kind: "name", name: "gp3" });
        assert.deepStrictEqual(classifyStorageClass({ storageClassName: "x" }), { kind: "invalid" });
        assert.deepStrictEqual(classifyStorageClass(undefined), { kind: "invalid" });
    });

    it("resolves the ordinal settings with their defaults", () => {
        assert.strictEqual(resolveOrdinal(undefined), undefined);
        assert.deepStrictEqual(resolveOrdinal("ORDINAL"), { name: "ORDINAL", offset: 0, file: "/var/run/pod-ordinal/ordinal" });
        assert.deepStrictEqual(resolveOrdinal({ name: "MYID", offset: 1, file: "/conf/myid" }), { name: "MYID", offset: 1, file: "/conf/myid" });
    });

    const qualified: [string, boolean][] = [
        ["checksum", true],
        ["example.com/checksum", true],
        ["a/b/c", false],
        ["Example.com/x", false],
        ["-x", false],
        [`${"a".repeat(64)}`, false],
    ];
    for (const [key, ok] of qualified) {
        it(`isQualifiedName(${JSON.stringify(key.length > 20 ? `${key.slice(0, 8)}…` : key)}) is ${ok}`, () => {
            assert.strictEqual(isQualifiedName(key), ok);
        });
    }
});

describe("StatefulWorkload ports per protocol", () => {
    it("accepts one port number on TCP and on UDP", () => {
        const problems = validateStatefulWorkloadArgs("dns", {
            namespace: "db",
            image: "coredns:1.12",
            ports: [
                { name: "dns-tcp", port: 53 },
                { name: "dns-udp", port: 53, protocol: "UDP" },
            ],
        });
        assert.deepStrictEqual(problems, []);
    });
});
