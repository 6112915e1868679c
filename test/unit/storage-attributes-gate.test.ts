import * as assert from "assert";
import { evaluateGate, parsePreview, PreviewDocument } from "../../tools/gate";
import { namedVolumeAttributesClasses, volumeAttributesFindings } from "../../tools/gate/volume-attributes";

/** The gate's VolumeAttributesClass rule over preview documents shaped like the engine's. */

const VAC = "kubernetes:storage.k8s.io/v1:VolumeAttributesClass";
const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
const STS = "kubernetes:apps/v1:StatefulSet";
const urn = (type: string, name: string) => `urn:pulumi:dev::app::${type}::${name}`;

function vacState(name: string, retainOnDelete = false) {
    return {
        custom: true,
        inputs: { apiVersion: "storage.k8s.io/v1", driverName: "ebs.csi.aws.com", kind: "VolumeAttributesClass", metadata: { name }, parameters: { type: "gp3" } },
        retainOnDelete,
        type: VAC,
        urn: urn(VAC, name),
    };
}

function claimState(name: string, vac: string) {
    return { custom: true, inputs: { metadata: { name }, spec: { storageClassName: "fast", volumeAttributesClassName: vac } }, type: PVC, urn: urn(PVC, name) };
}

function doc(steps: unknown[]): PreviewDocument {
    return parsePreview(JSON.stringify({ changeSummary: {}, steps }));
}

describe("gate: VolumeAttributesClass deleted while claims name it", () => {
    it("a retune (new class, claims moved, old class deleted) passes with no finding", () => {
        const preview = doc([
            { newState: vacState("fast-gp3-8000iops"), op: "create", urn: urn(VAC, "fast-gp3-8000iops") },
            { newState: claimState("data-0", "fast-gp3-8000iops"), oldState: claimState("data-0", "fast-gp3-6000iops"), op: "update", urn: urn(PVC, "data-0") },
            { oldState: vacState("fast-gp3-6000iops"), op: "delete", urn: urn(VAC, "fast-gp3-6000iops") },
        ]);
        assert.deepStrictEqual(volumeAttributesFindings(preview), []);
        assert.deepStrictEqual(evaluateGate(preview).findings, []);
    });

    it("a class deleted while a claim and a claim template still name it is a warning that names them", () => {
        const sts = {
            custom: true,
            inputs: { metadata: { name: "pg" }, spec: { volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { volumeAttributesClassName: "fast-gp3-6000iops" } }, { metadata: { name: "wal" }, spec: {} }] } },
            type: STS,
            urn: urn(STS, "pg"),
        };
        const preview = doc([
            { newState: claimState("data-0", "fast-gp3-6000iops"), oldState: claimState("data-0", "fast-gp3-6000iops"), op: "same", urn: urn(PVC, "data-0") },
            { newState: sts, oldState: sts, op: "same", urn: urn(STS, "pg") },
            { oldState: vacState("fast-gp3-6000iops"), op: "delete", urn: urn(VAC, "fast-gp3-6000iops") },
        ]);
        const result = evaluateGate(preview);
        assert.strictEqual(result.blocked, false);
        assert.deepStrictEqual(result.findings, [
            {
                keys: [],
                name: "fast-gp3-6000iops",
                op: "delete",
                reason: 'deletes VolumeAttributesClass "fast-gp3-6000iops" while data-0, pg still name it: Kubernetes keeps a class in use (finalizer kubernetes.io/vac-protection), so the delete waits and fails after the provider\'s timeout, and a claim that names a missing class stays Pending',
                remedy: "move every claim and claim template to another class first, or keep the class (retainOnDelete, as EbsVolumeAttributesClass does)",
                rule: "volume-attributes",
                type: VAC,
                urn: urn(VAC, "fast-gp3-6000iops"),
                verdict: "warn",
            },
        ]);
    });

    it("no finding for a retained class, nor for one re-created under another URN with the same name", () => {
        assert.deepStrictEqual(
            volumeAttributesFindings(doc([
                { newState: claimState("data-0", "c"), oldState: claimState("data-0", "c"), op: "same", urn: urn(PVC, "data-0") },
                { oldState: vacState("c", true), op: "delete", urn: urn(VAC, "c") },
            ])),
            [],
        );
        assert.deepStrictEqual(
            volumeAttributesFindings(doc([
                { newState: claimState("data-0", "c"), oldState: claimState("data-0", "c"), op: "same", urn: urn(PVC, "data-0") },
                { newState: { ...vacState("c"), urn: urn(VAC, "c2") }, op: "create", urn: urn(VAC, "c2") },
                { oldState: vacState("c"), op: "delete", urn: urn(VAC, "c") },
            ])),
            [],
        );
    });

    it("reads the class names of claims, claim patches and claim templates only", () => {
        assert.deepStrictEqual(namedVolumeAttributesClasses(claimState("a", "x") as never), ["x"]);
        const patch = "kubernetes:core/v1:PersistentVolumeClaimPatch";
        assert.deepStrictEqual(namedVolumeAttributesClasses({ type: patch, urn: urn(patch, "data-pg-0"), inputs: { spec: { volumeAttributesClassName: "y" } } }), ["y"]);
        assert.deepStrictEqual(namedVolumeAttributesClasses({ type: "kubernetes:core/v1:ConfigMap", urn: urn("kubernetes:core/v1:ConfigMap", "c"), inputs: { spec: { volumeAttributesClassName: "x" } } }), []);
        assert.deepStrictEqual(namedVolumeAttributesClasses(undefined), []);
    });
});
