import * as assert from "assert";
import * as fc from "fast-check";
import {
    buildNodeLocalStoreSpecs,
    isSystemHostPath,
    NodeLocalStoreArgs,
    normaliseHostPath,
    nodeLocalStorageClassName,
    validateNodeLocalStoreArgs,
} from "../../components/workload/node-local-store";
import { EXPECT } from "../../components/common/kubernetes";
import { EXPECT_CHECK } from "../../components/common/checks";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { BadCase, itRefusesEachAt } from "../support/problems";
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from "../support/restricted";

const BASE: NodeLocalStoreArgs = { image: "minio/minio:RELEASE.2025-09-07T16-13-09Z", namespace: "storage", nodeSelector: { "stateful-stacks.io/storage": "local" } };

const TAINT_KEY = "must be a taint key: an optional DNS subdomain and '/', then at most 63 letters, digits, '-', '_' and '.'";

/** The refusal of a host directory outside the allowed prefixes. */
export const HOST_PATH = "must be a directory below one of /mnt/, /data/, /srv/, /var/lib/stateful-stacks/: anywhere else holds the node's own files, which the store's root init container would hand to the store's user";
/** The refusal of a container path that is not a clean absolute path. */
export const MOUNT_PATH = EXPECT_CHECK.absolutePath;
const RESERVED_ENV = "must not be one of the variables the workload sets itself (POD_NAME, POD_NAMESPACE, NODE_NAME)";
const SECRET_KEY = `must be a Secret or ConfigMap key: at most 253 letters, digits, '-', '_' and '.', not "." or ".." and not starting with ".."`;

export const NODE_LOCAL_BAD_CASES: readonly BadCase<NodeLocalStoreArgs>[] = [
    { title: "env reusing NODE_NAME", args: { env: { NODE_NAME: "x" } }, path: "env.NODE_NAME", expected: RESERVED_ENV, got: '"NODE_NAME"' },
    { title: "a password as a literal env value", args: { env: { REDIS_PASSWORD: "hunter2" } }, path: "env.REDIS_PASSWORD", expected: `must not be a literal value: REDIS_PASSWORD names a credential, and credentials live only in Secrets; reference one with secretEnv.REDIS_PASSWORD: { secretName, key }`, got: "[secret]" },
    {
        title: "secretEnv repeating an env name",
        args: { env: { MODE: "a" }, secretEnv: { MODE: { key: "mode", secretName: "store" } } },
        path: "secretEnv.MODE",
        expected: "must not also be set in env: each variable comes from one of env, configMapEnv and secretEnv",
        got: '"MODE"',
    },
    { title: "secretEnv key with a slash", args: { secretEnv: { AUTH: { key: "a/b", secretName: "store" } } }, path: "secretEnv.AUTH.key", expected: SECRET_KEY, got: '"a/b"' },
    { title: "configMapEnv without a ConfigMap name", args: { configMapEnv: { MODE: { key: "mode" } } }, path: "configMapEnv.MODE.configMapName", expected: EXPECT.dns1123Subdomain, got: "undefined" },
    { title: "skipAwait as a number", args: { skipAwait: 1 }, path: "skipAwait", expected: "must be true or false", got: "1" },
    { title: "name too long for the peers Service", name: "n".repeat(58), args: {}, path: "name", expected: "must be a DNS-1035 label of at most 57 characters (the Service is \"<name>-peers\"): lower-case letters, digits and '-', starting with a letter and ending with a letter or digit", got: `"${"n".repeat(58)}"` },
    { title: "namespace with capitals", args: { namespace: "Storage" }, path: "namespace", expected: EXPECT.dns1123Label, got: '"Storage"' },
    { title: "missing image", args: { image: undefined }, path: "image", expected: "is required: the store's container image", got: "undefined" },
    { title: "no node selector", args: { nodeSelector: undefined }, path: "nodeSelector", expected: 'is required: at least one node label, so the store\'s data stays on nodes you chose (such as { "stateful-stacks.io/storage": "local" })', got: "undefined" },
    { title: "empty node selector", args: { nodeSelector: {} }, path: "nodeSelector", expected: 'is required: at least one node label, so the store\'s data stays on nodes you chose (such as { "stateful-stacks.io/storage": "local" })', got: "{}" },
    { title: "node selector key with two slashes", args: { nodeSelector: { "a/b/c": "x" } }, path: "nodeSelector.a/b/c", expected: EXPECT_CHECK.labelKey, got: '"a/b/c"' },
    { title: "node selector value with a space", args: { nodeSelector: { disk: "fast ssd" } }, path: "nodeSelector.disk", expected: EXPECT_CHECK.labelValue, got: '"fast ssd"' },
    { title: "relative host path", args: { hostPath: "data/store" }, path: "hostPath", expected: 'must be an absolute path such as "/mnt/disks/ssd0/<name>"', got: '"data/store"' },
    { title: "host path escaping with ..", args: { hostPath: "/var/lib/stateful-stacks/../../etc" }, path: "hostPath", expected: `${HOST_PATH}; it resolves to "/var/etc"`, got: '"/var/lib/stateful-stacks/../../etc"' },
    { title: "host path inside /etc", args: { hostPath: "/etc/store" }, path: "hostPath", expected: HOST_PATH, got: '"/etc/store"' },
    { title: "host path of the kubelet", args: { hostPath: "/var/lib/kubelet/pods" }, path: "hostPath", expected: HOST_PATH, got: '"/var/lib/kubelet/pods"' },
    { title: "host root", args: { hostPath: "/" }, path: "hostPath", expected: HOST_PATH, got: '"/"' },
    { title: "mount path /", args: { mountPath: "/" }, path: "mountPath", expected: MOUNT_PATH, got: '"/"' },
    { title: "toleration without key or Exists", args: { tolerations: [{ effect: "NoSchedule" }] }, path: "tolerations[0].key", expected: 'is required unless operator is "Exists"', got: "undefined" },
    { title: "toleration key invalid", args: { tolerations: [{ key: "bad key", value: "x" }] }, path: "tolerations[0].key", expected: TAINT_KEY, got: '"bad key"' },
    { title: "toleration Exists with a value", args: { tolerations: [{ key: "dedicated", operator: "Exists", value: "storage" }] }, path: "tolerations[0].value", expected: 'must be empty when operator is "Exists"', got: '"storage"' },
    { title: "toleration unknown operator", args: { tolerations: [{ key: "dedicated", operator: "In" }] }, path: "tolerations[0].operator", expected: 'must be one of "Equal", "Exists"', got: '"In"' },
    { title: "toleration unknown effect", args: { tolerations: [{ effect: "NoRun", key: "dedicated", value: "storage" }] }, path: "tolerations[0].effect", expected: 'must be one of "NoExecute", "NoSchedule", "PreferNoSchedule"', got: '"NoRun"' },
    { title: "tolerationSeconds without NoExecute", args: { tolerations: [{ effect: "NoSchedule", key: "dedicated", tolerationSeconds: 30, value: "storage" }] }, path: "tolerations[0].tolerationSeconds", expected: 'can only be given with effect "NoExecute"', got: "30" },
    { title: "duplicate port names", args: { ports: [{ name: "api", port: 9000 }, { name: "api", port: 9001 }] }, path: "ports[1].name", expected: "must be unique among the ports", got: '"api"' },
    { title: "port out of range", args: { ports: [{ name: "api", port: 0 }] }, path: "ports[0].port", expected: EXPECT.port, got: "0" },
    { title: "env name with a dash", args: { env: { "MINIO-REGION": "eu" } }, path: "env.MINIO-REGION", expected: EXPECT.envVarName, got: '"MINIO-REGION"' },
    { title: "memory in GB", args: { memory: "2GB" }, path: "memory", expected: EXPECT.quantity, got: '"2GB"' },
    { title: "storage class name with capitals", args: { localStorageClass: { storageClassName: "Local" } }, path: "localStorageClass.storageClassName", expected: EXPECT.dns1123Subdomain, got: '"Local"' },
];

describe("NodeLocalStore validation", () => {
    itRefusesEachAt({ kind: "NodeLocalStore", name: "blobs" }, validateNodeLocalStoreArgs, BASE, NODE_LOCAL_BAD_CASES);

    it("accepts only directories strictly below the allowed prefixes, after normalising", () => {
        assert.deepStrictEqual(
            ["/", "/var", "/var/lib", "/var/lib/data", "/etc", "/etc/", "/etcd", "/var/lib/kubelet", "/mnt", "/mnt/", "/mnt/disks/ssd0", "/var/lib/stateful-stacks/x", "/mnt/../etc", "/data//x/", "/srv/./x", "relative"].map(isSystemHostPath),
            [true, true, true, true, true, true, true, true, true, true, false, false, true, false, false, true],
        );
        assert.deepStrictEqual(["/mnt//disks/./a/../b/", "/..", "/a/../../b", "x"].map(normaliseHostPath), ["/mnt/disks/b", "/", "/b", undefined]);
    });
});

const SELECTOR = { "app.kubernetes.io/instance": "blobs", "app.kubernetes.io/name": "blobs" };

describe("NodeLocalStore builders", () => {
    it("renders the DaemonSet and headless Service exactly", () => {
        const specs = buildNodeLocalStoreSpecs("blobs", {
            ...BASE,
            args: ["server", "/data"],
            ports: [{ name: "api", port: 9000 }],
            tolerations: [{ effect: "NoSchedule", key: "dedicated", value: "storage" }],
        });
        assert.deepStrictEqual(specs, {
            daemonSet: {
                selector: { matchLabels: SELECTOR },
                template: {
                    metadata: {
                        labels: {
                            "app.kubernetes.io/component": "node-local-store",
                            "app.kubernetes.io/instance": "blobs",
                            "app.kubernetes.io/managed-by": "stateful-stacks",
                            "app.kubernetes.io/name": "blobs",
                        },
                    },
                    spec: {
                        automountServiceAccountToken: false,
                        containers: [
                            {
                                args: ["server", "/data"],
                                env: [
                                    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                                    { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                                    { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                                ],
                                image: BASE.image,
                                name: "store",
                                ports: [{ containerPort: 9000, name: "api", protocol: "TCP" }],
                                resources: { limits: { memory: "256Mi" }, requests: { cpu: "100m", memory: "256Mi" } },
                                securityContext: RESTRICTED_CONTAINER_SECURITY,
                                volumeMounts: [{ mountPath: "/data", name: "data" }],
                            },
                        ],
                        initContainers: [
                            {
                                command: ["sh", "-c", "chown 1000:1000 /data && chmod 0750 /data"],
                                image: "busybox:1.37.0",
                                name: "prepare-host-path",
                                resources: { limits: { memory: "16Mi" }, requests: { cpu: "10m", memory: "16Mi" } },
                                securityContext: {
                                    allowPrivilegeEscalation: false,
                                    capabilities: { add: ["CHOWN", "FOWNER"], drop: ["ALL"] },
                                    privileged: false,
                                    readOnlyRootFilesystem: true,
                                    runAsGroup: 0,
                                    runAsNonRoot: false,
                                    runAsUser: 0,
                                },
                                volumeMounts: [{ mountPath: "/data", name: "data" }],
                            },
                        ],
                        nodeSelector: { "stateful-stacks.io/storage": "local" },
                        securityContext: RESTRICTED_POD_SECURITY,
                        tolerations: [{ effect: "NoSchedule", key: "dedicated", operator: "Equal", value: "storage" }],
                        volumes: [{ hostPath: { path: "/var/lib/stateful-stacks/storage/blobs", type: "DirectoryOrCreate" }, name: "data" }],
                    },
                },
                updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: "RollingUpdate" },
            },
            service: { clusterIP: "None", ports: [{ name: "api", port: 9000, protocol: "TCP", targetPort: "api" }], publishNotReadyAddresses: true, selector: SELECTOR },
        });
    });

    it("adds a local-volume StorageClass only when asked", () => {
        assert.strictEqual(nodeLocalStorageClassName("blobs", BASE), undefined);
        assert.strictEqual(nodeLocalStorageClassName("blobs", { ...BASE, localStorageClass: true }), "blobs-local");
        assert.strictEqual(nodeLocalStorageClassName("blobs", { ...BASE, localStorageClass: { storageClassName: "local-nvme" } }), "local-nvme");
        assert.deepStrictEqual(buildNodeLocalStoreSpecs("blobs", { ...BASE, localStorageClass: true }).storageClass, {
            provisioner: "kubernetes.io/no-provisioner",
            reclaimPolicy: "Retain",
            volumeBindingMode: "WaitForFirstConsumer",
        });
        assert.strictEqual((buildNodeLocalStoreSpecs("blobs", { ...BASE, prepareHostPath: false }).daemonSet.template as any).spec.initContainers, undefined);
    });
});

const labelPart = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,20}[a-z0-9])?$/);

describe("NodeLocalStore properties", () => {
    it("accepts generated selectors and host paths and always pins the DaemonSet to them", () => {
        fc.assert(
            fc.property(
                fc.dictionary(fc.tuple(fc.constantFrom("", "example.com/", "node.kubernetes.io/"), labelPart).map(([p, n]) => `${p}${n}`), fc.oneof(fc.constant(""), labelPart), { minKeys: 1, maxKeys: 3 }),
                fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/), { minLength: 1, maxLength: 3 }),
                (nodeSelector, parts) => {
                    const hostPath = `/mnt/disks/${parts.join("/")}`;
                    const args = { ...BASE, hostPath, nodeSelector };
                    assert.deepStrictEqual(validateNodeLocalStoreArgs("blobs", args), []);
                    const pod = (buildNodeLocalStoreSpecs("blobs", args).daemonSet.template as any).spec;
                    assert.deepStrictEqual(pod.nodeSelector, { ...nodeSelector });
                    assert.strictEqual(pod.volumes[0].hostPath.path, hostPath);
                    const specs = buildNodeLocalStoreSpecs("blobs", { ...args, localStorageClass: true, ports: [{ name: "api", port: 9000 }] });
                    const metadata = { name: "blobs", namespace: "storage" };
                    assert.deepStrictEqual(validateKubernetesObject({ apiVersion: "apps/v1", kind: "DaemonSet", metadata, spec: specs.daemonSet }), []);
                    assert.deepStrictEqual(validateKubernetesObject({ apiVersion: "v1", kind: "Service", metadata, spec: specs.service }), []);
                    assert.deepStrictEqual(validateKubernetesObject({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "blobs-local" }, ...specs.storageClass }), []);
                },
            ),
            { numRuns: 50 },
        );
    });

    it("names hostPath for every system directory", () => {
        fc.assert(
            fc.property(fc.constantFrom("/etc", "/proc", "/sys", "/dev", "/usr", "/var/lib/kubelet", "/var/lib/containerd", "/root", "/boot"), fc.stringMatching(/^(\/[a-z0-9]{1,8}){0,2}$/), (tree, rest) => {
                const paths = validateNodeLocalStoreArgs("blobs", { ...BASE, hostPath: `${tree}${rest}` }).map((p) => p.path);
                assert.deepStrictEqual(paths, ["hostPath"]);
            }),
            { numRuns: 100 },
        );
    });
});
