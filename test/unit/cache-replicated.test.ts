import * as assert from "assert";
import * as fc from "fast-check";
import { buildReplicatedCacheSpecs, defaultCacheArgs, ReplicatedCacheArgs, validateReplicatedCacheArgs } from "../../components/workload/replicated-cache";
import { EXPECT } from "../../components/common/kubernetes";
import { EXPECT_CHECK } from "../../components/common/checks";
import { validateKubernetesObject } from "../../tools/engine/schema";
import { BadCase, itRefusesEachAt } from "../support/problems";
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from "../support/restricted";

const BASE: ReplicatedCacheArgs = { namespace: "shop" };
const IMAGE = EXPECT_CHECK.image;
const ABSOLUTE_PATH = EXPECT_CHECK.absolutePath;

export const CACHE_BAD_CASES: readonly BadCase<ReplicatedCacheArgs>[] = [
    { title: "name starting with a digit", name: "1cache", args: {}, path: "name", expected: "must be a DNS-1035 label: at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit", got: '"1cache"' },
    { title: "missing namespace", args: { namespace: undefined }, path: "namespace", expected: "is required: the namespace of the Deployment, Service and PodDisruptionBudget", got: "undefined" },
    { title: "unknown engine", args: { engine: "hazelcast" }, path: "engine", expected: 'must be one of "memcached", "redis"', got: '"hazelcast"' },
    { title: "image with a space", args: { image: "memcached latest" }, path: "image", expected: IMAGE, got: '"memcached latest"' },
    { title: "a single replica", args: { replicas: 1 }, path: "replicas", expected: "must be an integer from 2 to 1000: a replicated cache needs at least two replicas on different nodes", got: "1" },
    { title: "fractional replicas", args: { replicas: 2.5 }, path: "replicas", expected: "must be an integer from 2 to 1000: a replicated cache needs at least two replicas on different nodes", got: "2.5" },
    { title: "port out of range", args: { port: 65536 }, path: "port", expected: EXPECT.port, got: "65536" },
    { title: "port name too long", args: { portName: "memcached-protocol" }, path: "portName", expected: EXPECT.portName, got: '"memcached-protocol"' },
    { title: "argument not a string", args: { args: ["-m", 64] }, path: "args[1]", expected: "must be a string", got: "64" },
    { title: "memory in GB", args: { memory: "1GB" }, path: "memory", expected: EXPECT.quantity, got: '"1GB"' },
    { title: "zero memory", args: { memory: "0" }, path: "memory", expected: "must be greater than zero", got: '"0"' },
    { title: "cpu as a word", args: { cpu: "half" }, path: "cpu", expected: 'must be a CPU quantity such as "100m" or "0.5"', got: '"half"' },
    { title: "memory volume larger than memory", args: { memoryVolume: { sizeLimit: "1Gi" } }, path: "memoryVolume.sizeLimit", expected: "must not exceed memory (256Mi): a memory-backed volume counts against the container's memory limit", got: '"1Gi"' },
    { title: "relative memory volume path", args: { memoryVolume: { mountPath: "cache", sizeLimit: "64Mi" } }, path: "memoryVolume.mountPath", expected: ABSOLUTE_PATH, got: '"cache"' },
    { title: "unknown zone spread", args: { zoneSpread: "always" }, path: "zoneSpread", expected: 'must be one of "preferred", "required", "none"', got: '"always"' },
    { title: "disruption budget taking every replica", args: { maxUnavailable: 3 }, path: "maxUnavailable", expected: "must be less than replicas (3), so a drain never takes the whole cache down", got: "3" },
    { title: "zero maxUnavailable", args: { maxUnavailable: 0 }, path: "maxUnavailable", expected: "must be a positive integer", got: "0" },
    { title: "skipAwait as a string", args: { skipAwait: "yes" }, path: "skipAwait", expected: "must be true or false", got: '"yes"' },
];

describe("ReplicatedCache validation", () => {
    itRefusesEachAt({ kind: "ReplicatedCache", name: "sessions" }, validateReplicatedCacheArgs, BASE, CACHE_BAD_CASES);
});

const SELECTOR = { "app.kubernetes.io/instance": "sessions", "app.kubernetes.io/name": "sessions" };

describe("ReplicatedCache builders", () => {
    it("sizes the engine's memory budget to 90% of the limit", () => {
        assert.deepStrictEqual(defaultCacheArgs("memcached", 11211, "256Mi"), ["-m", "230", "-p", "11211"]);
        assert.deepStrictEqual(defaultCacheArgs("redis", 6380, "1Gi"), ["--port", "6380", "--save", "", "--appendonly", "no", "--maxmemory", "921mb", "--maxmemory-policy", "allkeys-lru"]);
    });

    it("renders the memcached preset exactly", () => {
        assert.deepStrictEqual(buildReplicatedCacheSpecs("sessions", BASE), {
            deployment: {
                replicas: 3,
                selector: { matchLabels: SELECTOR },
                strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: "RollingUpdate" },
                template: {
                    metadata: {
                        labels: {
                            "app.kubernetes.io/component": "replicated-cache",
                            "app.kubernetes.io/instance": "sessions",
                            "app.kubernetes.io/managed-by": "stateful-stacks",
                            "app.kubernetes.io/name": "sessions",
                        },
                    },
                    spec: {
                        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: SELECTOR }, topologyKey: "kubernetes.io/hostname" }] } },
                        automountServiceAccountToken: false,
                        containers: [
                            {
                                args: ["-m", "230", "-p", "11211"],
                                image: "memcached:1.6.39-alpine",
                                livenessProbe: { failureThreshold: 3, periodSeconds: 10, tcpSocket: { port: "memcache" } },
                                name: "cache",
                                ports: [{ containerPort: 11211, name: "memcache", protocol: "TCP" }],
                                readinessProbe: { periodSeconds: 5, tcpSocket: { port: "memcache" } },
                                resources: { limits: { memory: "256Mi" }, requests: { cpu: "100m", memory: "256Mi" } },
                                securityContext: { ...RESTRICTED_CONTAINER_SECURITY, readOnlyRootFilesystem: true },
                            },
                        ],
                        securityContext: RESTRICTED_POD_SECURITY,
                        topologySpreadConstraints: [{ labelSelector: { matchLabels: SELECTOR }, maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }],
                    },
                },
            },
            disruptionBudget: { maxUnavailable: 1, selector: { matchLabels: SELECTOR } },
            service: { ports: [{ name: "memcache", port: 11211, protocol: "TCP", targetPort: "memcache" }], selector: SELECTOR, type: "ClusterIP" },
        });
    });

    it("adds a memory-backed emptyDir, never a persistent volume", () => {
        const specs = buildReplicatedCacheSpecs("sessions", { ...BASE, engine: "redis", memory: "512Mi", memoryVolume: { sizeLimit: "64Mi" }, zoneSpread: "required" });
        const pod = (specs.deployment.template as any).spec;
        assert.deepStrictEqual(pod.volumes, [{ emptyDir: { medium: "Memory", sizeLimit: "64Mi" }, name: "memory" }]);
        assert.deepStrictEqual(pod.containers[0].volumeMounts, [{ mountPath: "/cache", name: "memory" }]);
        assert.strictEqual(pod.containers[0].image, "redis:7.4.6-alpine");
        assert.strictEqual(pod.topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule");
        assert.deepStrictEqual(specs.service.ports, [{ name: "redis", port: 6379, protocol: "TCP", targetPort: "redis" }]);
    });
});

describe("ReplicatedCache properties", () => {
    it("accepts any replica count from 2 and keeps replicas on separate hosts with a PDB below the count", () => {
        fc.assert(
            fc.property(fc.integer({ min: 2, max: 1000 }), fc.constantFrom("memcached", "redis") as fc.Arbitrary<"memcached" | "redis">, fc.integer({ min: 1, max: 65535 }), (replicas, engine, port) => {
                const args = { ...BASE, engine, maxUnavailable: replicas - 1, port, replicas };
                assert.deepStrictEqual(validateReplicatedCacheArgs("sessions", args), []);
                const specs = buildReplicatedCacheSpecs("sessions", args);
                assert.strictEqual(specs.deployment.replicas, replicas);
                assert.ok((specs.deployment.template as any).spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution);
                assert.ok((specs.disruptionBudget.maxUnavailable as number) < replicas);
            }),
            { numRuns: 100 },
        );
    });

    it("renders schema-valid objects for generated accepted arguments", () => {
        fc.assert(
            fc.property(
                fc.record({
                    cpu: fc.constantFrom("50m", "1", "0.5"),
                    engine: fc.constantFrom("memcached", "redis") as fc.Arbitrary<"memcached" | "redis">,
                    memory: fc.integer({ min: 64, max: 4096 }).map((m) => `${m}Mi`),
                    replicas: fc.integer({ min: 2, max: 9 }),
                    volume: fc.option(fc.integer({ min: 1, max: 64 }).map((m) => ({ sizeLimit: `${m}Mi` })), { nil: undefined }),
                    zoneSpread: fc.constantFrom("preferred", "required", "none") as fc.Arbitrary<"preferred" | "required" | "none">,
                }),
                ({ volume, ...rest }) => {
                    const args = { ...BASE, ...rest, memoryVolume: volume };
                    assert.deepStrictEqual(validateReplicatedCacheArgs("sessions", args), []);
                    const specs = buildReplicatedCacheSpecs("sessions", args);
                    const metadata = { name: "sessions", namespace: "shop" };
                    for (const object of [
                        { apiVersion: "apps/v1", kind: "Deployment", metadata, spec: specs.deployment },
                        { apiVersion: "v1", kind: "Service", metadata, spec: specs.service },
                        { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata, spec: specs.disruptionBudget },
                    ]) {
                        assert.deepStrictEqual(validateKubernetesObject(object), [], object.kind);
                    }
                },
            ),
            { numRuns: 50 },
        );
    });

    it("names replicas for every refused count", () => {
        fc.assert(
            fc.property(fc.oneof(fc.integer({ max: 1 }), fc.integer({ min: 1001 }), fc.double({ noInteger: true })), (replicas) => {
                assert.ok(validateReplicatedCacheArgs("sessions", { ...BASE, replicas }).some((p) => p.path === "replicas"));
            }),
            { numRuns: 100 },
        );
    });
});
