import * as assert from "assert";
import { StatefulWorkloadArgs } from "../../components/workload/stateful-workload-args";
import {
    buildClientService,
    buildContainers,
    buildDisruptionBudget,
    buildHeadlessService,
    buildPodTemplate,
    buildStatefulSet,
    claimNames,
    podDnsNames,
    statefulWorkloadNames,
} from "../../components/workload/stateful-workload-spec";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from "../support/restricted";

const base: StatefulWorkloadArgs = {
    namespace: "db",
    image: "postgres:16.4",
    ports: [{ name: "pg", port: 5432 }],
    volumes: [{ name: "data", mountPath: "/data", size: "20Gi", storageClass: "gp3" }],
};
const selector = { "app.kubernetes.io/instance": "pg", "app.kubernetes.io/name": "pg" };

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object") {
        Object.values(value as Record<string, unknown>).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}

describe("StatefulWorkload builders", () => {
    it("lets a pod that may run as root start its containers, unless a container says otherwise", () => {
        const asRoot = (container?: { runAsNonRoot?: boolean }) =>
            buildContainers("pg", { ...base, securityContext: { pod: { runAsNonRoot: false, runAsUser: 0 }, ...(container ? { container } : {}) } }).containers[0].securityContext;
        assert.deepStrictEqual(asRoot(), { ...RESTRICTED_CONTAINER_SECURITY, runAsNonRoot: false });
        assert.strictEqual((asRoot({ runAsNonRoot: true }) as { runAsNonRoot?: boolean }).runAsNonRoot, true);
        assert.strictEqual((buildContainers("pg", base).containers[0].securityContext as { runAsNonRoot?: boolean }).runAsNonRoot, true);
    });

    it("derives every name from the StatefulSet name", () => {
        assert.deepStrictEqual(statefulWorkloadNames("pg", {}), {
            clientService: "pg",
            container: "pg",
            disruptionBudget: "pg",
            headlessService: "pg-headless",
            statefulSet: "pg",
        });
        assert.deepStrictEqual(statefulWorkloadNames("Orders DB", { statefulSetName: "orders", containerName: "postgres" }), {
            clientService: "orders",
            container: "postgres",
            disruptionBudget: "orders",
            headlessService: "orders-headless",
            statefulSet: "orders",
        });
    });

    it("lists pod DNS names by ordinal and none for zero replicas", () => {
        const names = statefulWorkloadNames("kafka", {});
        assert.deepStrictEqual(podDnsNames(names, 2, "stream"), ["kafka-0.kafka-headless.stream.svc.cluster.local", "kafka-1.kafka-headless.stream.svc.cluster.local"]);
        assert.deepStrictEqual(podDnsNames(names, 0, "stream"), []);
        assert.deepStrictEqual(podDnsNames(names, 1, "stream", "corp.local"), ["kafka-0.kafka-headless.stream.svc.corp.local"]);
    });

    it("lists claim names volume by volume", () => {
        assert.deepStrictEqual(claimNames("etcd", [{ name: "data" }, { name: "wal" }], 2), ["data-etcd-0", "data-etcd-1", "wal-etcd-0", "wal-etcd-1"]);
        assert.deepStrictEqual(claimNames("etcd", [], 3), []);
    });

    const budgets: [string, Partial<StatefulWorkloadArgs>, unknown][] = [
        ["none by default for one replica", {}, undefined],
        ["none by default for zero replicas", { replicas: 0 }, undefined],
        ["maxUnavailable 1 by default for three replicas", { replicas: 3 }, { maxUnavailable: 1, selector: { matchLabels: selector } }],
        ["none when turned off", { replicas: 3, disruptionBudget: false }, undefined],
        ["maxUnavailable 1 for one replica when asked", { disruptionBudget: {} }, { maxUnavailable: 1, selector: { matchLabels: selector } }],
        ["a percentage", { replicas: 5, disruptionBudget: { maxUnavailable: "40%" } }, { maxUnavailable: "40%", selector: { matchLabels: selector } }],
        ["minAvailable", { replicas: 5, disruptionBudget: { minAvailable: 3 } }, { minAvailable: 3, selector: { matchLabels: selector } }],
    ];
    for (const [title, change, spec] of budgets) {
        it(`disruption budget: ${title}`, () => {
            assert.deepStrictEqual(buildDisruptionBudget("pg", { ...base, ...change })?.spec, spec);
        });
    }

    it("renders the rolling update with partition and maxUnavailable, and minReadySeconds", () => {
        const sts = buildStatefulSet("pg", { ...base, replicas: 4, updateStrategy: { type: "RollingUpdate", partition: 2, maxUnavailable: "50%" }, minReadySeconds: 10 });
        const spec = sts.spec as unknown as Record<string, unknown>;
        assert.deepStrictEqual(spec.updateStrategy, { rollingUpdate: { maxUnavailable: "50%", partition: 2 }, type: "RollingUpdate" });
        assert.strictEqual(spec.minReadySeconds, 10);
    });

    it("applies security overrides field by field and keeps the rest restricted", () => {
        const template = buildPodTemplate("pg", {
            ...base,
            securityContext: { pod: { runAsUser: 999, fsGroup: 999 }, container: { readOnlyRootFilesystem: true } },
            automountServiceAccountToken: true,
            serviceAccountName: "pg-backup",
        });
        const spec = template.spec as unknown as Record<string, any>;
        assert.deepStrictEqual(spec.securityContext, { ...RESTRICTED_POD_SECURITY, fsGroup: 999, runAsUser: 999 });
        assert.deepStrictEqual(spec.containers[0].securityContext, { ...RESTRICTED_CONTAINER_SECURITY, readOnlyRootFilesystem: true });
        assert.strictEqual(spec.automountServiceAccountToken, true);
        assert.strictEqual(spec.serviceAccountName, "pg-backup");
    });

    it("sorts pod annotations and env by name", () => {
        const template = buildPodTemplate("pg", { ...base, podAnnotations: { "z.example.com/b": "2", "a.example.com/a": "1" }, env: { ZED: "z", ALPHA: "a" } });
        assert.deepStrictEqual(Object.keys((template.metadata as { annotations: object }).annotations), ["a.example.com/a", "z.example.com/b"]);
        const env = (template.spec as unknown as Record<string, any>).containers[0].env.map((e: { name: string }) => e.name);
        assert.deepStrictEqual(env, ["POD_NAME", "POD_NAMESPACE", "ALPHA", "ZED"]);
    });

    it("puts an unshifted ordinal in env without an init container or extra volume", () => {
        const { containers, initContainers } = buildContainers("pg", { ...base, ordinalEnvVar: "ORDINAL" });
        assert.deepStrictEqual(initContainers, []);
        assert.deepStrictEqual((containers[0].env as unknown[])[2], {
            name: "ORDINAL",
            valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } },
        });
        assert.deepStrictEqual(containers[0].volumeMounts, [{ mountPath: "/data", name: "data" }]);
        assert.strictEqual((buildPodTemplate("pg", { ...base, ordinalEnvVar: "ORDINAL" }).spec as unknown as Record<string, unknown>).volumes, undefined);
    });

    it("gives init containers the workload image unless they name their own", () => {
        const { initContainers } = buildContainers("pg", { ...base, initContainers: [{ name: "a" }, { name: "b", image: "busybox:1.37.0", args: ["x"], resources: { limits: { memory: "32Mi" } } }] });
        assert.deepStrictEqual(
            initContainers.map((c) => [c.name, c.image]),
            [
                ["a", "postgres:16.4"],
                ["b", "busybox:1.37.0"],
            ],
        );
        assert.deepStrictEqual(initContainers[1].args, ["x"]);
        assert.deepStrictEqual(initContainers[1].resources, { limits: { memory: "32Mi" } });
        assert.deepStrictEqual(initContainers[0].volumeMounts, [{ mountPath: "/data", name: "data" }]);
    });

    it("skips the client Service when clientService is false", () => {
        assert.strictEqual(buildClientService("pg", { ...base, clientService: false }), undefined);
        assert.strictEqual((buildClientService("pg", base)!.metadata as { name: string }).name, "pg");
    });

    it("does not mutate the caller's arguments", () => {
        const args = deepFreeze({
            ...base,
            replicas: 3,
            env: { B: "b", A: "a" },
            podAnnotations: { b: "2", a: "1" },
            ordinalEnvVar: { name: "MYID", offset: 1 },
            initContainers: [{ name: "init", env: { Y: "y", X: "x" } }],
            securityContext: { pod: { runAsUser: 2000 } },
        }) as StatefulWorkloadArgs;
        const before = JSON.stringify(args);
        buildStatefulSet("pg", args);
        buildHeadlessService("pg", args);
        buildClientService("pg", args);
        buildDisruptionBudget("pg", args);
        assert.strictEqual(JSON.stringify(args), before);
    });

    it("renders schema-valid objects from the pure builders", () => {
        const args: StatefulWorkloadArgs = { ...base, replicas: 3, ordinalEnvVar: { name: "MYID", offset: 1 }, initContainers: [{ name: "init", command: ["true"] }] };
        const objects = [
            { apiVersion: "apps/v1", kind: "StatefulSet", ...buildStatefulSet("pg", args) },
            { apiVersion: "v1", kind: "Service", ...buildHeadlessService("pg", args) },
            { apiVersion: "v1", kind: "Service", ...buildClientService("pg", args) },
            { apiVersion: "policy/v1", kind: "PodDisruptionBudget", ...buildDisruptionBudget("pg", args) },
        ];
        for (const object of objects) {
            assert.deepStrictEqual(validateKubernetesObject(object as never), []);
        }
    });
});
