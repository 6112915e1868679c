import { strict as assert } from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import {
    dataHoldingProtected,
    disruptionBudgetAllowsEviction,
    encryptionAtRest,
    kubernetesNameLimits,
    noLiteralCredentials,
    POLICIES,
    statefulSetClaimsRetained,
    storageClassRetain,
} from "../../policy/policies";

/**
 * The CrossGuard pack's policies, called as the analyzer calls them: with a resource's
 * type, inputs (props) and options, or with every resource of the stack. The scenario
 * stacks' golden renders must pass every mandatory policy; a deliberately bad set of
 * resources must be reported by each policy, by name.
 */
const GOLDEN = path.join(__dirname, "..", "golden");

function resource(type: string, props: Record<string, unknown>, opts: { protect?: boolean } = {}, name = "r"): PolicyResource {
    const unsupported = (): never => {
        throw new Error("not used by the pack");
    };
    return {
        type,
        props,
        urn: `urn:pulumi:dev::app::${type}::${name}`,
        name,
        opts: { protect: opts.protect ?? false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        dependencies: [],
        propertyDependencies: {},
        isType: unsupported,
        asType: unsupported,
    };
}

/** The messages a policy reports for these resources (a resource policy is called per resource). */
function violations(policy: ResourceValidationPolicy | StackValidationPolicy, resources: readonly PolicyResource[]): string[] {
    const messages: string[] = [];
    const report = (message: string) => messages.push(message);
    const noConfig = <T extends object>() => ({}) as T;
    const notApplicable = (): never => {
        throw new Error("not applicable");
    };
    if ("validateStack" in policy && policy.validateStack) {
        policy.validateStack({ resources: [...resources], getConfig: noConfig, notApplicable } as never, report);
    } else if ("validateResource" in policy && policy.validateResource) {
        const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
        for (const r of resources) {
            for (const validate of validations) {
                validate({ ...r, stackTags: new Map(), getConfig: noConfig, notApplicable } as never, report);
            }
        }
    }
    return messages;
}

const one = (policy: ResourceValidationPolicy | StackValidationPolicy, type: string, props: Record<string, unknown>, opts: { protect?: boolean } = {}) =>
    violations(policy, [resource(type, props, opts)]);

const SC = "kubernetes:storage.k8s.io/v1:StorageClass";
const gp3 = (extra: Record<string, unknown> = {}) => ({
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "fast" },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
    reclaimPolicy: "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
    ...extra,
});
const deployment = (env: unknown[], kind = "Deployment") => ({
    apiVersion: "apps/v1",
    kind,
    metadata: { name: "api", namespace: "shop" },
    spec: { replicas: 2, selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "api", image: "shop/api:1.4", env }] } } },
});
const statefulSet = (policy?: Record<string, string>, name = "pg", replicas = 3) => ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, namespace: "db" },
    spec: {
        replicas,
        serviceName: `${name}-headless`,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: "postgres:16.6" }] } },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } }, storageClassName: "fast" } }],
        ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}),
    },
});
const pdb = (spec: Record<string, unknown>, app = "pg") => ({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: app, namespace: "db" }, spec: { selector: { matchLabels: { app } }, ...spec } });

describe("policy pack: storage-class-retain", () => {
    it("passes Retain; reports Delete, an unset policy and a snapshot class that deletes", () => {
        assert.deepEqual(one(storageClassRetain, SC, gp3()), []);
        assert.deepEqual(one(storageClassRetain, SC, gp3({ reclaimPolicy: "Delete" })), [
            'StorageClass "fast" has reclaimPolicy "Delete": every volume it provisions is deleted with its claim. Set reclaimPolicy: "Retain".',
        ]);
        assert.deepEqual(one(storageClassRetain, SC, gp3({ reclaimPolicy: undefined })), [
            'StorageClass "fast" has reclaimPolicy unset (Kubernetes\' default: Delete): every volume it provisions is deleted with its claim. Set reclaimPolicy: "Retain".',
        ]);
        const snapshots = { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "fast-snapshots" }, driver: "ebs.csi.aws.com" };
        assert.deepEqual(one(storageClassRetain, "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", { ...snapshots, deletionPolicy: "Retain" }), []);
        assert.deepEqual(one(storageClassRetain, "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", { ...snapshots, deletionPolicy: "Delete" }), [
            'VolumeSnapshotClass "fast-snapshots" has deletionPolicy "Delete": a snapshot is deleted in the storage backend with its VolumeSnapshot object. Set deletionPolicy: "Retain".',
        ]);
    });
});

describe("policy pack: encryption-at-rest", () => {
    it("reports EBS classes without encrypted: \"true\" (CSI and in-tree), unencrypted EFS and EBS volumes; other provisioners pass", () => {
        assert.deepEqual(one(encryptionAtRest, SC, gp3()), []);
        assert.deepEqual(one(encryptionAtRest, SC, gp3({ parameters: { type: "gp3" } })), [
            'StorageClass "fast" provisions EBS volumes without encryption (parameters.encrypted is unset). Set parameters.encrypted: "true".',
        ]);
        assert.equal(one(encryptionAtRest, SC, gp3({ provisioner: "kubernetes.io/aws-ebs", parameters: { encrypted: "false" } })).length, 1);
        assert.deepEqual(one(encryptionAtRest, SC, { metadata: { name: "efs" }, provisioner: "efs.csi.aws.com", parameters: { provisioningMode: "efs-ap" } }), []);
        assert.deepEqual(one(encryptionAtRest, "aws:efs/fileSystem:FileSystem", { encrypted: true, performanceMode: "generalPurpose", throughputMode: "elastic" }), []);
        assert.deepEqual(one(encryptionAtRest, "aws:efs/fileSystem:FileSystem", { performanceMode: "generalPurpose" }), [
            'FileSystem "r" is not encrypted at rest (encrypted is unset). Set encrypted: true; encryption cannot be turned on later without replacing it.',
        ]);
        assert.equal(one(encryptionAtRest, "aws:ebs/volume:Volume", { availabilityZone: "us-east-1a", size: 100, encrypted: false }).length, 1);
    });
});

describe("policy pack: no-literal-credentials", () => {
    it("reports a literal credential in any container of any workload kind; valueFrom, empty and non-credential names pass", () => {
        const fromSecret = { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } };
        assert.deepEqual(one(noLiteralCredentials, "kubernetes:apps/v1:Deployment", deployment([fromSecret, { name: "DB_HOST", value: "db.internal" }, { name: "PASSWORD_FILE", value: "/run/secrets/pw" }])), []);
        assert.deepEqual(one(noLiteralCredentials, "kubernetes:apps/v1:Deployment", deployment([{ name: "DB_HOST", value: "db" }, { name: "API_KEY", value: "sk-live-1234" }])), [
            'Deployment "api": containers[0] (api).env[1] API_KEY holds a literal value: anyone who can read the Deployment reads it. Put it in a Secret and use valueFrom.secretKeyRef.',
        ]);
        const cron = {
            metadata: { name: "backup" },
            spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: "wait", env: [{ name: "PGPASSWORD", value: "hunter2" }] }], containers: [] } } } } },
        };
        assert.deepEqual(one(noLiteralCredentials, "kubernetes:batch/v1:CronJob", cron), [
            'CronJob "backup": initContainers[0] (wait).env[0] PGPASSWORD holds a literal value: anyone who can read the CronJob reads it. Put it in a Secret and use valueFrom.secretKeyRef.',
        ]);
        const token = { ...cron, spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: "wait", env: [{ name: "AUTH_TOKEN", value: "t" }] }] } } } } } };
        assert.match(one(noLiteralCredentials, "kubernetes:batch/v1:CronJob", token)[0], /^CronJob "backup": initContainers\[0\] \(wait\)\.env\[0\] AUTH_TOKEN holds a literal value/);
        assert.equal(one(noLiteralCredentials, "kubernetes:apps/v1:StatefulSet", deployment([{ name: "ROOT_PASSWORD", value: "x" }], "StatefulSet")).length, 1);
        assert.deepEqual(one(noLiteralCredentials, "kubernetes:core/v1:ConfigMap", { data: { PASSWORD: "x" } }), []);
    });
});

describe("policy pack: statefulset-claims-retained", () => {
    it("reports Delete on whenDeleted and on whenScaled; Retain, unset and sets without templates pass", () => {
        const STS = "kubernetes:apps/v1:StatefulSet";
        assert.deepEqual(one(statefulSetClaimsRetained, STS, statefulSet()), []);
        assert.deepEqual(one(statefulSetClaimsRetained, STS, statefulSet({ whenDeleted: "Retain", whenScaled: "Retain" })), []);
        assert.deepEqual(one(statefulSetClaimsRetained, STS, statefulSet({ whenDeleted: "Delete", whenScaled: "Delete" })), [
            'StatefulSet "pg" has persistentVolumeClaimRetentionPolicy.whenDeleted "Delete": its claims and their data are deleted with the StatefulSet. Set whenDeleted: "Retain" (the Kubernetes default).',
            'StatefulSet "pg" has persistentVolumeClaimRetentionPolicy.whenScaled "Delete": its claims and their data are deleted when it scales down. Set whenScaled: "Retain" (the Kubernetes default).',
        ]);
        const noTemplates = statefulSet({ whenDeleted: "Delete" });
        delete (noTemplates.spec as { volumeClaimTemplates?: unknown }).volumeClaimTemplates;
        assert.deepEqual(one(statefulSetClaimsRetained, STS, noTemplates), []);
    });
});

describe("policy pack: pdb-allows-eviction", () => {
    const STS = "kubernetes:apps/v1:StatefulSet";
    const P = "kubernetes:policy/v1:PodDisruptionBudget";
    const stack = (budget: Record<string, unknown>, replicas = 3) => violations(disruptionBudgetAllowsEviction, [resource(STS, statefulSet(undefined, "pg", replicas)), resource(P, pdb(budget))]);

    it("passes maxUnavailable 1 or a percentage, and minAvailable below the replicas", () => {
        assert.deepEqual(stack({ maxUnavailable: 1 }), []);
        assert.deepEqual(stack({ maxUnavailable: "34%" }), []);
        assert.deepEqual(stack({ minAvailable: 2 }), []);
        assert.deepEqual(stack({ minAvailable: "50%" }), []);
    });

    it("reports maxUnavailable 0, minAvailable 100% and minAvailable at or above the selected workload's replicas", () => {
        assert.deepEqual(stack({ maxUnavailable: 0 }), ['PodDisruptionBudget "pg" has maxUnavailable 0: no pod may ever be evicted, so every node drain blocks. Allow at least 1.']);
        assert.deepEqual(stack({ maxUnavailable: "0%" }).length, 1);
        assert.deepEqual(stack({ minAvailable: "100%" }), ['PodDisruptionBudget "pg" has minAvailable "100%": no pod may ever be evicted, so every node drain blocks. Use maxUnavailable: 1.']);
        assert.deepEqual(stack({ minAvailable: 3 }), [
            'PodDisruptionBudget "pg" has minAvailable 3 for StatefulSet "pg" with 3 replicas: no pod may be evicted, so every node drain blocks. Use maxUnavailable: 1, or minAvailable below the replicas.',
        ]);
        assert.equal(stack({ minAvailable: 1 }, 1).length, 1);
    });

    it("matches workloads by namespace and selector only", () => {
        const other = violations(disruptionBudgetAllowsEviction, [resource(STS, statefulSet(undefined, "zk", 1)), resource(P, pdb({ minAvailable: 1 }))]);
        assert.deepEqual(other, []);
    });
});

describe("policy pack: kubernetes-name-limits", () => {
    it("StatefulSets at most 52 characters, Services and Namespaces DNS-1123 labels, CronJobs at most 52, the rest subdomains", () => {
        const STS = "kubernetes:apps/v1:StatefulSet";
        assert.deepEqual(one(kubernetesNameLimits, STS, statefulSet(undefined, "a".repeat(52))), []);
        assert.deepEqual(one(kubernetesNameLimits, STS, statefulSet(undefined, "a".repeat(53))), [
            `StatefulSet "${"a".repeat(53)}": the name (53 characters) must be a DNS-1123 label of at most 52 characters (the controller-revision-hash label <name>-<10 characters> must fit in 63).`,
        ]);
        assert.equal(one(kubernetesNameLimits, "kubernetes:core/v1:Service", { metadata: { name: "pg.headless" } }).length, 1);
        assert.equal(one(kubernetesNameLimits, "kubernetes:core/v1:Service", { metadata: { name: "1pg" } }).length, 1);
        assert.equal(one(kubernetesNameLimits, "kubernetes:core/v1:Namespace", { metadata: { name: "Shop" } }).length, 1);
        assert.equal(one(kubernetesNameLimits, "kubernetes:batch/v1:CronJob", { metadata: { name: "b".repeat(53) } }).length, 1);
        assert.deepEqual(one(kubernetesNameLimits, SC, gp3({ metadata: { name: "postgres-fast.example.com" } })), []);
        assert.equal(one(kubernetesNameLimits, "kubernetes:core/v1:ConfigMap", { metadata: { name: "orders_db" } }).length, 1);
        assert.deepEqual(one(kubernetesNameLimits, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", { metadata: { name: "system:reader" } }), [], "kinds with other name rules are left alone");
        assert.deepEqual(one(kubernetesNameLimits, "kubernetes:core/v1:Service", { metadata: {} }), [], "an auto-named object has no name yet");
    });
});

describe("policy pack: data-holding-protected (advisory)", () => {
    it("reports unprotected claims, file systems, keys and StatefulSets with templates; protected ones and plain objects pass", () => {
        assert.equal(dataHoldingProtected.enforcementLevel, "advisory");
        assert.deepEqual(one(dataHoldingProtected, "kubernetes:core/v1:PersistentVolumeClaim", { metadata: { name: "backups" } }), [
            'PersistentVolumeClaim "backups" holds data and is not protected. Pass protect: true (or retainOnDelete: true, which policies cannot see) in its resource options.',
        ]);
        assert.deepEqual(one(dataHoldingProtected, "kubernetes:core/v1:PersistentVolumeClaim", { metadata: { name: "backups" } }, { protect: true }), []);
        assert.deepEqual(one(dataHoldingProtected, "aws:kms/key:Key", { enableKeyRotation: true }), ['Key "r" holds data and is not protected. Pass protect: true (or retainOnDelete: true, which policies cannot see) in its resource options.']);
        assert.equal(one(dataHoldingProtected, "kubernetes:apps/v1:StatefulSet", statefulSet()).length, 1);
        assert.deepEqual(one(dataHoldingProtected, "kubernetes:apps/v1:Deployment", deployment([])), []);
        assert.deepEqual(one(dataHoldingProtected, "kubernetes:core/v1:Namespace", { metadata: { name: "db" } }), [], "a namespace is judged by the gate, not protected by policy");
    });
});

/** Every golden render of a scenario stack as the analyzer would see it. */
function goldenResources(stack: string): PolicyResource[] {
    const resources: PolicyResource[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                walk(file);
            } else if (file.endsWith(".yaml")) {
                const object = yaml.load(fs.readFileSync(file, "utf8")) as { apiVersion: string; kind: string; metadata: { name: string } };
                const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["core", object.apiVersion];
                resources.push(resource(`kubernetes:${group}/${version}:${object.kind}`, object as unknown as Record<string, unknown>, {}, object.metadata.name));
            } else if (file.endsWith(".json") && path.basename(path.dirname(file)) === "aws") {
                const input = JSON.parse(fs.readFileSync(file, "utf8")) as { type: string; name: string; inputs: Record<string, unknown> };
                resources.push(resource(input.type, input.inputs, {}, input.name));
            }
        }
    };
    walk(path.join(GOLDEN, stack));
    return resources;
}

const STACKS = ["external-database", "node-local-store", "postgres-ebs", "replicated-cache", "shared-content-efs", "zookeeper-ensemble"];

describe("policy pack: the scenario stacks and a bad program", () => {
    it("lists seven policies, unique names, each with a description and an enforcement level", () => {
        assert.deepEqual(POLICIES.map((p) => [p.name, p.enforcementLevel]), [
            ["storage-class-retain", "mandatory"],
            ["encryption-at-rest", "mandatory"],
            ["no-literal-credentials", "mandatory"],
            ["statefulset-claims-retained", "mandatory"],
            ["pdb-allows-eviction", "mandatory"],
            ["kubernetes-name-limits", "mandatory"],
            ["data-holding-protected", "advisory"],
        ]);
        assert.ok(POLICIES.every((p) => p.description.length > 20));
    });

    for (const stack of STACKS) {
        it(`${stack}: its golden render passes every mandatory policy`, () => {
            const resources = goldenResources(stack);
            assert.ok(resources.length >= 3, `${resources.length} resources`);
            const failed = POLICIES.filter((p) => p.enforcementLevel === "mandatory").flatMap((p) => violations(p, resources).map((m) => `${p.name}: ${m}`));
            assert.deepEqual(failed, []);
        });
    }

    it("a deliberately bad program is reported by every policy, each named", () => {
        const bad = [
            resource(SC, gp3({ reclaimPolicy: "Delete", parameters: { type: "gp3" } })),
            resource("kubernetes:apps/v1:Deployment", deployment([{ name: "DB_PASSWORD", value: "hunter2" }])),
            resource("kubernetes:apps/v1:StatefulSet", statefulSet({ whenDeleted: "Delete" }, "a-statefulset-name-that-is-far-too-long-for-its-hash-label", 1)),
            resource("kubernetes:policy/v1:PodDisruptionBudget", pdb({ maxUnavailable: 0 })),
            resource("aws:efs/fileSystem:FileSystem", { performanceMode: "generalPurpose" }),
        ];
        const named = POLICIES.filter((p) => violations(p, bad).length > 0).map((p) => p.name);
        assert.deepEqual(named, POLICIES.map((p) => p.name));
    });
});

/** Values not known at preview time are skipped; an unset value is still reported (its default is unsafe). */
describe("policy pack: unknown values and credentials in values", () => {
    const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
    const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
    /** Props as the SDK hands them to a policy: reading an unknown throws UnknownValueError. */
    const proxied = (props: Record<string, unknown>) => unknownCheckingProxy(props) as Record<string, unknown>;

    it("storage-class-retain skips an unknown reclaimPolicy or deletionPolicy, raw or through the SDK's proxy; unset is still reported", () => {
        assert.deepEqual(one(storageClassRetain, SC, gp3({ reclaimPolicy: UNKNOWN_STRING })), []);
        assert.deepEqual(one(storageClassRetain, SC, proxied(gp3({ reclaimPolicy: UNKNOWN_STRING }))), []);
        assert.deepEqual(one(storageClassRetain, "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass", proxied({ metadata: { name: "s" }, driver: "d", deletionPolicy: UNKNOWN_STRING })), []);
        assert.deepEqual(one(storageClassRetain, SC, proxied(gp3({ reclaimPolicy: undefined }))), [
            'StorageClass "fast" has reclaimPolicy unset (Kubernetes\' default: Delete): every volume it provisions is deleted with its claim. Set reclaimPolicy: "Retain".',
        ]);
        assert.deepEqual(one(storageClassRetain, SC, proxied(gp3({ reclaimPolicy: "Delete" }))), [
            'StorageClass "fast" has reclaimPolicy "Delete": every volume it provisions is deleted with its claim. Set reclaimPolicy: "Retain".',
        ]);
    });

    it("encryption-at-rest skips an unknown encrypted (or parameters); unset is still reported", () => {
        assert.deepEqual(one(encryptionAtRest, SC, gp3({ parameters: { type: "gp3", encrypted: UNKNOWN_STRING } })), []);
        assert.deepEqual(one(encryptionAtRest, SC, proxied(gp3({ parameters: UNKNOWN_OBJECT }))), []);
        assert.deepEqual(one(encryptionAtRest, "aws:efs/fileSystem:FileSystem", { encrypted: UNKNOWN_BOOL }), []);
        assert.deepEqual(one(encryptionAtRest, "aws:ebs/volume:Volume", proxied({ size: 100, encrypted: UNKNOWN_BOOL })), []);
        assert.deepEqual(one(encryptionAtRest, "aws:ebs/volume:Volume", proxied({ size: 100 })), [
            'Volume "r" is not encrypted at rest (encrypted is unset). Set encrypted: true; encryption cannot be turned on later without replacing it.',
        ]);
    });

    it("statefulset-claims-retained skips an unknown retention policy", () => {
        assert.deepEqual(one(statefulSetClaimsRetained, "kubernetes:apps/v1:StatefulSet", proxied(statefulSet({ whenDeleted: UNKNOWN_STRING, whenScaled: "Retain" }))), []);
    });

    it("no-literal-credentials reports a value that is a credential whatever its name, without printing it", () => {
        const messages = one(noLiteralCredentials, "kubernetes:apps/v1:Deployment", deployment([
            { name: "DATABASE_URL", value: "postgres://app:pw@db/x" },
            { name: "JDBC", value: "jdbc:postgresql://db/x?password=pw" },
            { name: "CACHE_URL", value: "redis://cache:6379" },
            { name: "DB_PASSWORD", value: UNKNOWN_STRING },
        ]));
        assert.deepEqual(messages, [
            'Deployment "api": containers[0] (api).env[0] DATABASE_URL holds a credential in its value (a password in a connection string or parameter): anyone who can read the Deployment reads it. Put the value in a Secret and use valueFrom.secretKeyRef.',
            'Deployment "api": containers[0] (api).env[1] JDBC holds a credential in its value (a password in a connection string or parameter): anyone who can read the Deployment reads it. Put the value in a Secret and use valueFrom.secretKeyRef.',
        ]);
        assert.ok(!messages.some((m) => m.includes("pw")));
        assert.deepEqual(one(noLiteralCredentials, "kubernetes:apps/v1:Deployment", proxied(deployment([{ name: "DATABASE_URL", value: "postgres://app:pw@db/x" }, { name: "API_KEY", value: "k" }]))).length, 2);
    });
});
