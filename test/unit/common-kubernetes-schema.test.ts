import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT_CHECK } from "../../components/common/checks";
import { checkKubernetesValue } from "../../components/common/kubernetes-schema";
import { run } from "../support/problems";

describe("strict Kubernetes schema checks", () => {
    it("refuses unknown fields with a did-you-mean, wrong types and int32 overflows", () => {
        assert.deepStrictEqual(
            run((p) => checkKubernetesValue(p, "readinessProbe", { httpGet: { port: "pg", pth: "/x" }, periodSecond: 3, timeoutSeconds: 2 ** 31 }, "Probe")),
            [
                ["readinessProbe.httpGet.pth", '"/x"', 'is not a known field; did you mean "path"?'],
                ["readinessProbe.periodSecond", "3", 'is not a known field; did you mean "periodSeconds"?'],
                ["readinessProbe.timeoutSeconds", "2147483648", "must be an integer from -2147483648 to 2147483647"],
            ],
        );
    });

    it("refuses a string where a map is needed, nulls, bad quantities and enums", () => {
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "resources", { limits: "1Gi" }, "ResourceRequirements")), [["resources.limits", '"1Gi"', "must be an object"]]);
        assert.deepStrictEqual(
            run((p) => checkKubernetesValue(p, "resources", { limits: { cpu: "lots" }, requests: { memory: null } }, "ResourceRequirements")),
            [
                ["resources.requests.memory", "null", "must not be null; leave the field out instead"],
                ["resources.limits.cpu", '"lots"', 'must be a Kubernetes quantity such as "20Gi", "500Mi" or "1Ti", given as a string'],
            ],
        );
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "securityContext.pod", { fsGroupChangePolicy: "Sometimes" }, "PodSecurityContext")), [
            ["securityContext.pod.fsGroupChangePolicy", '"Sometimes"', 'must be one of "Always", "OnRootMismatch"'],
        ]);
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "livenessProbe", { tcpSocket: {} }, "Probe")), [["livenessProbe.tcpSocket.port", "undefined", "is required by the Kubernetes schema"]]);
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "startupProbe", { exec: { command: "pg_isready" } }, "Probe")), [["startupProbe.exec.command", '"pg_isready"', "must be a list"]]);
    });

    it("refuses holes, cycles and Outputs (unless allowed)", () => {
        // eslint-disable-next-line no-sparse-arrays
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "securityContext.container", { capabilities: { drop: ["ALL", , "NET_RAW"] } }, "SecurityContext")), [
            ["securityContext.container.capabilities.drop[1]", "undefined", EXPECT_CHECK.hole],
        ]);
        const cyclic: Record<string, unknown> = { exec: { command: ["true"] } };
        (cyclic.exec as Record<string, unknown>).self = cyclic;
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "livenessProbe", cyclic, "Probe")), [["livenessProbe.exec.self", '{"exec":{"command":["true"],"self":[Circular]}}', "is not a known field (known: command)"]]);
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "livenessProbe", { exec: { command: pulumi.output(["true"]) } }, "Probe")), [
            ["livenessProbe.exec.command", "an Output", EXPECT_CHECK.deferred],
        ]);
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "livenessProbe", pulumi.secret({ exec: { command: ["true"] } }), "Probe")), [["livenessProbe", "an Output", EXPECT_CHECK.deferred]]);
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "livenessProbe", { exec: { command: pulumi.output(["true"]) } }, "Probe", { allowOutputs: true })), []);
        assert.deepStrictEqual(run((p) => checkKubernetesValue(p, "tolerations", { key: pulumi.output("a"), operator: "Exists" }, "Toleration", { allowOutputs: true })), []);
    });

    it("accepts valid values of every type", () => {
        assert.deepStrictEqual(
            run((p) => {
                checkKubernetesValue(p, "a", { httpGet: { path: "/health", port: 8080, httpHeaders: [{ name: "X", value: "y" }] }, periodSeconds: 10 }, "Probe");
                checkKubernetesValue(p, "b", { limits: { memory: "1Gi" }, requests: { cpu: "250m" } }, "ResourceRequirements");
                checkKubernetesValue(p, "c", { runAsUser: 999, seccompProfile: { type: "RuntimeDefault" }, sysctls: [{ name: "net.core.somaxconn", value: "1024" }] }, "PodSecurityContext");
                checkKubernetesValue(p, "d", { capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] }, readOnlyRootFilesystem: true }, "SecurityContext");
                checkKubernetesValue(p, "e", { key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }, "Toleration");
            }),
            [],
        );
    });
});
