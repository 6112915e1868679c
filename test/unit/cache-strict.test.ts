import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT_CHECK } from "../../components/common/checks";
import { EXPECT } from "../../components/common/kubernetes";
import { buildReplicatedCacheSpecs, ReplicatedCacheArgs, validateReplicatedCacheArgs } from "../../components/workload/replicated-cache";
import { deepObject } from "../support/hostile";
import { COMMAND_LIST, itRefusesEach, StrictCase } from "../support/problems";

/**
 * Strict validation of ReplicatedCache: typos, wrong types, Outputs, holes, values beyond
 * what Kubernetes accepts and hostile objects are refused with an exact message, and no
 * message shows the credential planted in the inputs.
 */

export const PLANTED_CREDENTIAL = "Pl4nted-Cr3dential-9731";

const BASE = { namespace: "shop" };
const REPLICAS = "must be an integer from 2 to 1000: a replicated cache needs at least two replicas on different nodes";
const ENGINE = 'must be one of "memcached", "redis"';

function withGetter(): object {
    const args = { namespace: "shop" };
    Object.defineProperty(args, "replicas", { enumerable: true, get: () => { throw new Error("read"); } });
    return args;
}

export const CACHE_STRICT_CASES: readonly StrictCase[] = [
    { title: "a typo of replicas", args: { replica: 3 }, problems: [["replica", 'is not a known field; did you mean "replicas"?', "3"]] },
    { title: "a typo of zoneSpread", args: { zoneSpred: "required" }, problems: [["zoneSpred", 'is not a known field; did you mean "zoneSpread"?', '"required"']] },
    { title: "a typo in another case", args: { MaxUnavailable: 1 }, problems: [["MaxUnavailable", 'is not a known field; did you mean "maxUnavailable"?', "1"]] },
    { title: "an unknown credential-looking key", args: { password: PLANTED_CREDENTIAL }, problems: [["password", "is not a known field", "[secret]"]] },
    { title: "engine constructor (an Object.prototype name)", args: { engine: "constructor" }, problems: [["engine", ENGINE, '"constructor"']] },
    { title: "engine __proto__", args: { engine: "__proto__" }, problems: [["engine", ENGINE, '"__proto__"']] },
    { title: "engine toString", args: { engine: "toString" }, problems: [["engine", ENGINE, '"toString"']] },
    { title: "the whole args as an Output", whole: () => pulumi.output(BASE), problems: [["args", EXPECT_CHECK.deferredArgs, "an Output"]] },
    { title: "the whole args as null", whole: () => null, problems: [["args", "must be an object", "null"]] },
    { title: "the whole args as a list", whole: () => [BASE], problems: [["args", "must be an object", '[{"namespace":"shop"}]']] },
    { title: "replicas beyond int32", args: { replicas: 2 ** 31 }, problems: [["replicas", REPLICAS, "2147483648"]] },
    { title: "replicas NaN", args: { replicas: Number.NaN }, problems: [["replicas", REPLICAS, "NaN"]] },
    { title: "replicas as a string", args: { replicas: "3" }, problems: [["replicas", REPLICAS, '"3"']] },
    { title: "replicas as an Output", args: { replicas: pulumi.output(3) }, problems: [["replicas", REPLICAS, "an Output"]] },
    { title: "a replicas getter", whole: withGetter, problems: [["replicas", "could not be read (a getter threw)", "undefined"]] },
    { title: "an image with a trailing space", args: { image: "memcached:1.6.39-alpine " }, problems: [["image", EXPECT_CHECK.image, '"memcached:1.6.39-alpine "']] },
    { title: "an image as a secret Output", args: { image: pulumi.secret(PLANTED_CREDENTIAL) }, problems: [["image", EXPECT_CHECK.deferred, "an Output"]] },
    { title: "an image URL with a password", args: { image: `registry://ci:${PLANTED_CREDENTIAL}@registry.example.com/cache:1` }, problems: [["image", "must not hold a password (a URL's user:password@): registry credentials belong in an image pull Secret", "[secret]"]] },
    { title: "args as one string", args: { args: "-m 64" }, problems: [["args", COMMAND_LIST, '"-m 64"']] },
    { title: "args with a hole", args: { args: [, "-m"] }, problems: [["args[0]", EXPECT_CHECK.hole, "undefined"]] },
    { title: "args with null", args: { args: ["-m", null] }, problems: [["args[1]", "must not be null or undefined", "null"]] },
    { title: "args with a port number", args: { args: ["--port", 6379] }, problems: [["args[1]", "must be a string", "6379"]] },
    {
        title: "args carrying a connection string with a password",
        args: { args: ["--replicaof", `redis://app:${PLANTED_CREDENTIAL}@primary:6379`] },
        problems: [["args[1]", "must not hold a password (a URL's user:password@ or a password= parameter): the pod spec is not secret; pass it in an environment variable set with secretEnv", "[secret]"]],
    },
    { title: "a port nested 5,000 deep", args: { port: deepObject(5000) }, problems: [["port", EXPECT.port, '{"a":{"a":{"a":{"a":{…}}}}}']] },
    { title: "memory beyond any node", args: { memory: "2Ti" }, problems: [["memory", 'must be at most "1Ti"', '"2Ti"']] },
    { title: "memory overflowing a number", args: { memory: "1e400" }, problems: [["memory", 'must be at most "1Ti"', '"1e400"']] },
    { title: "cpu as a number", args: { cpu: 0.5 }, problems: [["cpu", 'must be a CPU quantity such as "100m" or "0.5"', "0.5"]] },
    { title: "memoryVolume null", args: { memoryVolume: null }, problems: [["memoryVolume", "must be { sizeLimit, mountPath? }", "null"]] },
    {
        title: "memoryVolume with a typo of sizeLimit",
        args: { memoryVolume: { sizeLimt: "64Mi" } },
        problems: [
            ["memoryVolume.sizeLimt", 'is not a known field; did you mean "sizeLimit"?', '"64Mi"'],
            ["memoryVolume.sizeLimit", "is required: the largest size of the volume, no larger than memory", "undefined"],
        ],
    },
    { title: "memoryVolume over /proc", args: { memoryVolume: { mountPath: "/proc/cache", sizeLimit: "64Mi" } }, problems: [["memoryVolume.mountPath", EXPECT_CHECK.systemPath, '"/proc/cache"']] },
    { title: "maxUnavailable beyond int32", args: { maxUnavailable: 2 ** 31 }, problems: [["maxUnavailable", "must be a positive integer", "2147483648"]] },
    { title: "maxUnavailable as large as a big replica count", args: { maxUnavailable: 5000, replicas: 1000 }, problems: [["maxUnavailable", "must be less than replicas (1000), so a drain never takes the whole cache down", "5000"]] },
    { title: "skipAwait as the string true", args: { skipAwait: "true" }, problems: [["skipAwait", "must be true or false", '"true"']] },
    { title: "ports (a cache serves one port)", args: { ports: [{ name: "cache", port: 11211 }] }, problems: [["ports", 'is not a known field; did you mean "port"?', '[{"name":"cache","port":11211}]']] },
    { title: "replicas allowed on one host", args: { spread: { hosts: "preferred" } }, problems: [["spread.hosts", 'must be "required": a replicated cache never runs two replicas on one node', '"preferred"']] },
    { title: "zoneSpread and spread.zones together", args: { spread: { zones: "required" }, zoneSpread: "none" }, problems: [["zoneSpread", "cannot be combined with spread.zones; give only spread.zones", '"none"']] },
    { title: "no disruption budget", args: { disruptionBudget: false }, problems: [["disruptionBudget", "must be an object with maxUnavailable or minAvailable: a replicated cache always has a PodDisruptionBudget", "false"]] },
    { title: "maxUnavailable and a disruption budget together", args: { disruptionBudget: { maxUnavailable: 1 }, maxUnavailable: 1 }, problems: [["maxUnavailable", "cannot be combined with disruptionBudget; give only disruptionBudget.maxUnavailable", "1"]] },
    { title: "a budget keeping every replica up", args: { disruptionBudget: { minAvailable: 3 } }, problems: [["disruptionBudget.minAvailable", "must be less than replicas (3), or no node could ever be drained", "3"]] },
    { title: "a budget taking 100% down", args: { disruptionBudget: { maxUnavailable: "100%" } }, problems: [["disruptionBudget.maxUnavailable", "must be less than replicas (3), so a drain never takes the whole cache down", '"100%"']] },
    { title: "resources without a memory limit", args: { resources: { requests: { cpu: "1" } } }, problems: [["resources.limits.memory", "is required with resources: the engine is sized to 90% of the memory limit", "undefined"]] },
    { title: "memory together with resources", args: { memory: "1Gi", resources: { limits: { memory: "1Gi" } } }, problems: [["memory", "cannot be combined with resources: give it in resources.limits and resources.requests instead", '"1Gi"']] },
    { title: "a literal cache password", args: { env: { REDIS_PASSWORD: PLANTED_CREDENTIAL } }, problems: [["env.REDIS_PASSWORD", "must not be a literal value: REDIS_PASSWORD names a credential, and credentials live only in Secrets; reference one with secretEnv.REDIS_PASSWORD: { secretName, key }", "[secret]"]] },
    { title: "a typo in a probe", args: { livenessProbe: { tcpSocket: { prot: 11211 } } }, problems: [["livenessProbe.tcpSocket.prot", 'is not a known field; did you mean "port"?', "11211"], ["livenessProbe.tcpSocket.port", "is required by the Kubernetes schema", "undefined"]] },
    {
        title: "a secret Output in a probe command",
        args: { readinessProbe: { exec: { command: ["redis-cli", "-a", pulumi.secret(PLANTED_CREDENTIAL), "ping"] } } },
        problems: [["readinessProbe.exec.command[2]", "must be a plain value known at construction, not an Output or a Promise: it is rendered into the pod spec, where a secret must never be", "an Output"]],
    },
    {
        title: "every problem at once",
        args: { engine: "valkey", namespace: "Shop", replicas: 0, replicaCount: 3 },
        problems: [
            ["replicaCount", 'is not a known field; did you mean "replicas"?', "3"],
            ["namespace", EXPECT.dns1123Label, '"Shop"'],
            ["engine", ENGINE, '"valkey"'],
            ["replicas", REPLICAS, "0"],
        ],
    },
];

describe("ReplicatedCache strict validation", () => {
    itRefusesEach({ kind: "ReplicatedCache", name: "sessions" }, validateReplicatedCacheArgs, BASE, CACHE_STRICT_CASES, PLANTED_CREDENTIAL);

    it("takes the shared pod arguments: a password from a Secret, a probe, a service account", () => {
        const args: ReplicatedCacheArgs = {
            ...BASE,
            args: ["--requirepass", "$(REDIS_PASSWORD)"],
            engine: "redis",
            readinessProbe: { exec: { command: ["redis-cli", "ping"] }, periodSeconds: 5 },
            secretEnv: { REDIS_PASSWORD: { key: "password", secretName: "sessions-auth" } },
            serviceAccountName: "cache",
            spread: { hosts: "required", zones: "required" },
        };
        assert.deepStrictEqual(validateReplicatedCacheArgs("sessions", args), []);
        const pod = buildReplicatedCacheSpecs("sessions", args).deployment.template as { spec: any };
        assert.deepStrictEqual(pod.spec.containers[0].env, [{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "sessions-auth" } } }]);
        assert.deepStrictEqual(pod.spec.containers[0].readinessProbe, { exec: { command: ["redis-cli", "ping"] }, periodSeconds: 5 });
        assert.strictEqual(pod.spec.serviceAccountName, "cache");
        assert.strictEqual(pod.spec.topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule");
        assert.ok(pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution);
    });

    it("accepts an engine only by its own name", () => {
        assert.deepStrictEqual(validateReplicatedCacheArgs("sessions", { ...BASE, engine: "redis" }), []);
        assert.deepStrictEqual(validateReplicatedCacheArgs("sessions", { ...BASE, engine: "memcached", replicas: 1000, maxUnavailable: 999 }), []);
    });
});
