import * as assert from "assert";
import { ProblemList } from "../../components/common/validation";
import { POD_ARG_KEYS, renderPodArgs, validatePodArgs } from "../../components/workload/pod-args";
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from "../support/restricted";

const selector = { "app.kubernetes.io/instance": "c", "app.kubernetes.io/name": "c" };

function problems(args: Record<string, unknown>, portsRequired = true): [string, string, string][] {
    const list = new ProblemList({ redactCredentialPaths: true });
    validatePodArgs(list, args, { reservedEnv: ["POD_NAME"], portsRequired });
    return list.problems.map((p) => [p.path, p.value, p.expected]);
}

describe("shared pod arguments", () => {
    it("lists every field of PodArgs once, sorted", () => {
        assert.deepStrictEqual([...POD_ARG_KEYS].sort(), POD_ARG_KEYS);
        assert.strictEqual(new Set(POD_ARG_KEYS).size, POD_ARG_KEYS.length);
    });

    it("applies every default once: restricted security, preferred spread, TCP ports, no budget unless asked", () => {
        const pod = renderPodArgs({ ports: [{ name: "http", port: 80, targetPort: 8080 }] }, selector, false);
        assert.deepStrictEqual(pod.containerPorts, [{ containerPort: 8080, name: "http", protocol: "TCP" }]);
        assert.deepStrictEqual(pod.servicePorts, [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }]);
        assert.deepStrictEqual(pod.podSecurityContext, RESTRICTED_POD_SECURITY);
        assert.deepStrictEqual(pod.containerSecurityContext, RESTRICTED_CONTAINER_SECURITY);
        assert.strictEqual(pod.automountServiceAccountToken, false);
        assert.deepStrictEqual(pod.topologySpreadConstraints, [
            { labelSelector: { matchLabels: selector }, maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" },
        ]);
        assert.deepStrictEqual(pod.affinity, {
            podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: "kubernetes.io/hostname" }, weight: 100 }] },
        });
        assert.strictEqual(pod.disruptionBudget, undefined);
        assert.deepStrictEqual(pod.awaitMetadata, {});
        assert.deepStrictEqual(pod.env, []);
    });

    it("renders the budget the component asks for by default, or the one given", () => {
        assert.deepStrictEqual(renderPodArgs({}, selector, true).disruptionBudget, { maxUnavailable: 1 });
        assert.deepStrictEqual(renderPodArgs({ disruptionBudget: { minAvailable: "50%" } }, selector, false).disruptionBudget, { minAvailable: "50%" });
        assert.strictEqual(renderPodArgs({ disruptionBudget: false }, selector, true).disruptionBudget, undefined);
    });

    it("lets a root pod start its containers, and sorts annotations and node labels", () => {
        const pod = renderPodArgs(
            { securityContext: { pod: { runAsNonRoot: false, runAsUser: 0 } }, podAnnotations: { b: "2", a: "1" }, nodeSelector: { z: "1", a: "2" }, skipAwait: true },
            selector,
            false,
        );
        assert.strictEqual(pod.containerSecurityContext.runAsNonRoot, false);
        assert.deepStrictEqual(Object.keys(pod.podAnnotations!), ["a", "b"]);
        assert.deepStrictEqual(Object.keys(pod.nodeSelector!), ["a", "z"]);
        assert.deepStrictEqual(pod.awaitMetadata, { annotations: { "pulumi.com/skipAwait": "true" } });
    });

    it("validates once for every component: ports optional where the component says so", () => {
        assert.deepStrictEqual(problems({}, false), []);
        assert.deepStrictEqual(problems({}), [["ports", "undefined", "must list at least one port"]]);
        assert.deepStrictEqual(problems({ ports: [{ name: "http", port: 80 }], env: { POD_NAME: "x", TOKEN: "t0ken-planted" } }), [
            ["env.POD_NAME", '"POD_NAME"', "must not be one of the variables the workload sets itself (POD_NAME)"],
            ["env.TOKEN", "[secret]", "must not be a literal value: TOKEN names a credential, and credentials live only in Secrets; reference one with secretEnv.TOKEN: { secretName, key }"],
        ]);
    });

    it("refuses probes without exactly one handler and unknown named ports", () => {
        assert.deepStrictEqual(problems({ ports: [{ name: "http", port: 80 }], readinessProbe: { tcpSocket: { port: "grpc" } }, livenessProbe: { periodSeconds: 5 } }), [
            ["livenessProbe", "[]", "must have exactly one of exec, grpc, httpGet, tcpSocket"],
            ["readinessProbe.tcpSocket.port", '"grpc"', "must be one of the port names (http) or a number from 1 to 65535"],
        ]);
    });

    it("refuses tolerations the API server refuses, for every workload: a key unless Exists, no value with Exists, seconds only with NoExecute", () => {
        const tolerations = [
            { operator: "Equal", value: "db" },
            { key: "dedicated", operator: "Exists", value: "db" },
            { effect: "NoSchedule", key: "dedicated", tolerationSeconds: 30, value: "db" },
            { effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: 300 },
        ];
        assert.deepStrictEqual(problems({ ports: [{ name: "http", port: 80 }], tolerations }), [
            ["tolerations[0].key", "undefined", 'is required unless operator is "Exists"'],
            ["tolerations[1].value", '"db"', 'must be empty when operator is "Exists"'],
            ["tolerations[2].tolerationSeconds", "30", 'can only be given with effect "NoExecute"'],
        ]);
    });

    it("refuses id fields out of range and tolerations with unknown fields", () => {
        assert.deepStrictEqual(
            problems({ ports: [{ name: "http", port: 80 }], securityContext: { container: { runAsGroup: 2 ** 31 } }, tolerations: [{ key: "a", operator: "Exists", efect: "NoSchedule" }] }),
            [
                ["securityContext.container.runAsGroup", "2147483648", "must be an integer from 0 to 2147483647"],
                ["tolerations[0].efect", '"NoSchedule"', 'is not a known field; did you mean "effect"?'],
            ],
        );
    });
});
