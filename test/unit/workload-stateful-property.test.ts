import * as assert from "assert";
import * as fc from "fast-check";
import { StatefulWorkloadArgs, WorkloadPort, WorkloadVolume } from "../../components/workload/stateful-workload-args";
import {
    buildClientService,
    buildDisruptionBudget,
    buildHeadlessService,
    buildStatefulSet,
    claimNames,
    podDnsNames,
    statefulWorkloadNames,
} from "../../components/workload/stateful-workload-spec";
import { validateStatefulWorkloadArgs } from "../../components/workload/stateful-workload-validate";
import { KubernetesObject, validateKubernetesObject } from "../../tools/engine/schema";

const RUNS = { numRuns: 60 };

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6})?$/);
const stsName = fc.stringMatching(/^[a-z][a-z0-9-]{0,40}[a-z0-9]$/);

const portsArb: fc.Arbitrary<WorkloadPort[]> = fc
    .uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z]{1,6}[0-9]{0,2}$/), port: fc.integer({ min: 1, max: 65535 }), targetPort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }) }), {
        minLength: 1,
        maxLength: 4,
        selector: (p) => p.name,
    })
    // Names and port numbers are both unique per workload (all TCP here).
    .filter((ports) => new Set(ports.map((p) => p.port)).size === ports.length)
    .map((ports) => ports.map((p) => (p.targetPort === undefined ? { name: p.name, port: p.port } : p)));

const volumesArb: fc.Arbitrary<WorkloadVolume[]> = fc.uniqueArray(
    fc.record({
        name: fc.stringMatching(/^[a-z]{1,8}$/),
        size: fc.integer({ min: 1, max: 4096 }).map((n) => `${n}Gi`),
        storageClass: fc.constantFrom("gp3", "io2", "efs-sc"),
        accessModes: fc.constantFrom<WorkloadVolume["accessModes"]>(undefined, ["ReadWriteOnce"], ["ReadWriteOncePod"], ["ReadWriteMany"]),
    }),
    { maxLength: 3, selector: (v) => v.name },
).map((volumes) => volumes.map((v) => ({ ...v, mountPath: `/mnt/${v.name}` })).map((v) => (v.accessModes === undefined ? { name: v.name, mountPath: v.mountPath, size: v.size, storageClass: v.storageClass } : v)));

const argsArb: fc.Arbitrary<{ name: string; args: StatefulWorkloadArgs }> = fc
    .record({
        name: stsName,
        namespace: label,
        replicas: fc.integer({ min: 0, max: 7 }),
        ports: portsArb,
        volumes: volumesArb,
        podManagementPolicy: fc.constantFrom<StatefulWorkloadArgs["podManagementPolicy"]>(undefined, "OrderedReady", "Parallel"),
        ordinal: fc.constantFrom<StatefulWorkloadArgs["ordinalEnvVar"]>(undefined, "ORDINAL", { name: "MYID", offset: 1 }, { name: "IDX", offset: -1, file: "/run/ids/idx" }),
        strategy: fc.constantFrom("rolling", "partition", "ondelete"),
        budget: fc.constantFrom<StatefulWorkloadArgs["disruptionBudget"]>(undefined, false, {}, { maxUnavailable: "50%" }, { minAvailable: "50%" }, { maxUnavailable: 1 }),
        zones: fc.constantFrom<"preferred" | "required" | "none">("preferred", "required", "none"),
        hosts: fc.constantFrom<"preferred" | "required" | "none">("preferred", "required", "none"),
        clientService: fc.boolean(),
        skipAwait: fc.boolean(),
    })
    .map((r) => ({
        name: r.name,
        args: {
            namespace: r.namespace,
            image: "registry.example.com/app:1.0.0",
            replicas: r.replicas,
            ports: r.ports,
            volumes: r.volumes,
            podManagementPolicy: r.podManagementPolicy,
            ordinalEnvVar: r.ordinal,
            updateStrategy:
                r.strategy === "ondelete" ? { type: "OnDelete" } : r.strategy === "partition" ? { type: "RollingUpdate", partition: r.replicas } : undefined,
            disruptionBudget: r.budget,
            spread: { zones: r.zones, hosts: r.hosts },
            clientService: r.clientService,
            skipAwait: r.skipAwait,
        } as StatefulWorkloadArgs,
    }));

function rendered(name: string, args: StatefulWorkloadArgs): KubernetesObject[] {
    const objects: KubernetesObject[] = [
        { apiVersion: "apps/v1", kind: "StatefulSet", ...(buildStatefulSet(name, args) as object) },
        { apiVersion: "v1", kind: "Service", ...(buildHeadlessService(name, args) as object) },
    ];
    const client = buildClientService(name, args);
    if (client) {
        objects.push({ apiVersion: "v1", kind: "Service", ...(client as object) });
    }
    const budget = buildDisruptionBudget(name, args);
    if (budget) {
        objects.push({ apiVersion: "policy/v1", kind: "PodDisruptionBudget", ...(budget as object) });
    }
    return objects;
}

/** One way to break otherwise valid arguments, and the property the refusal must name. */
const corruptions: fc.Arbitrary<{ path: string; change: (a: StatefulWorkloadArgs) => StatefulWorkloadArgs }> = fc.oneof(
    fc.string({ maxLength: 8 }).filter((s) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s)).map((ns) => ({ path: "namespace", change: (a: StatefulWorkloadArgs) => ({ ...a, namespace: ns }) })),
    fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 9.9, noInteger: true })).map((n) => ({ path: "replicas", change: (a: StatefulWorkloadArgs) => ({ ...a, replicas: n }) })),
    fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65536 })).map((p) => ({
        path: "ports[0].port",
        change: (a: StatefulWorkloadArgs) => ({ ...a, ports: [{ ...a.ports[0], port: p }, ...a.ports.slice(1)] }),
    })),
    fc.constantFrom("20GB", "20 gigs", "-1Gi", "Gi", "0").map((size) => ({
        path: "volumes[0].size",
        change: (a: StatefulWorkloadArgs) => ({ ...a, volumes: [{ name: "v", mountPath: "/v", storageClass: "gp3", size }] }),
    })),
    fc.stringMatching(/^[a-z]{1,8}$/).map((dir) => ({
        path: "volumes[0].mountPath",
        change: (a: StatefulWorkloadArgs) => ({ ...a, volumes: [{ name: "v", mountPath: dir, storageClass: "gp3", size: "1Gi" }] }),
    })),
    fc.integer({ min: 1, max: 10 }).map((extra) => ({
        path: "updateStrategy.partition",
        change: (a: StatefulWorkloadArgs) => ({ ...a, updateStrategy: { type: "RollingUpdate" as const, partition: (a.replicas ?? 1) + extra } }),
    })),
    fc.constant({
        path: "disruptionBudget",
        change: (a: StatefulWorkloadArgs) => ({ ...a, disruptionBudget: { maxUnavailable: 1, minAvailable: 1 } }),
    }),
    fc.stringMatching(/^[a-z][a-z0-9]{52,60}$/).map((sts) => ({ path: "statefulSetName", change: (a: StatefulWorkloadArgs) => ({ ...a, statefulSetName: sts }) })),
);

describe("StatefulWorkload properties", () => {
    it("accepted arguments render schema-valid objects with consistent names and selectors", () => {
        fc.assert(
            fc.property(argsArb, ({ name, args }) => {
                assert.deepStrictEqual(validateStatefulWorkloadArgs(name, args), []);
                const objects = rendered(name, args);
                for (const object of objects) {
                    assert.deepStrictEqual(validateKubernetesObject(object), [], JSON.stringify(object.metadata));
                }
                const sts = objects[0] as any;
                const names = statefulWorkloadNames(name, args);
                assert.strictEqual(sts.spec.serviceName, objects[1].metadata!.name);
                const podLabels = sts.spec.template.metadata.labels;
                for (const [key, value] of Object.entries(sts.spec.selector.matchLabels)) {
                    assert.strictEqual(podLabels[key], value);
                }
                for (const service of objects.slice(1, args.clientService ? 3 : 2) as any[]) {
                    assert.deepStrictEqual(service.spec.selector, sts.spec.selector.matchLabels);
                }
                assert.strictEqual(podDnsNames(names, args.replicas!, args.namespace as string).length, args.replicas);
                assert.strictEqual(claimNames(names.statefulSet, args.volumes!, args.replicas!).length, args.volumes!.length * args.replicas!);
            }),
            RUNS,
        );
    });

    it("rendering is deterministic", () => {
        fc.assert(
            fc.property(argsArb, ({ name, args }) => {
                assert.strictEqual(JSON.stringify(rendered(name, args)), JSON.stringify(rendered(name, args)));
            }),
            RUNS,
        );
    });

    it("rejected arguments name the broken property", () => {
        fc.assert(
            fc.property(argsArb, corruptions, ({ name, args }, corruption) => {
                const problems = validateStatefulWorkloadArgs(name, corruption.change(args));
                assert.ok(
                    problems.some((p) => p.path === corruption.path),
                    `expected a problem at ${corruption.path}, got ${JSON.stringify(problems)}`,
                );
            }),
            RUNS,
        );
    });
});
