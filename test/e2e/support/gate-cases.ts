import * as fs from "fs";
import * as path from "path";
import { PreviewDocument } from "../../../tools/gate";
import { REPO } from "./toolchain";

/**
 * Gate rule fixtures recorded by the real engine (test/e2e/9-gate.test.ts): each becomes
 * test/fixtures/gate/<name>.json and its entry in test/fixtures/gate/cases.json, in place
 * of a document that was crafted by editing a real preview.
 *
 * Two programs produce them, each in its own stack so the file needs nothing that an
 * earlier e2e file brought up:
 * - `gate-zookeeper`: the zookeeper-ensemble scenario (local mode, 5 members, its own
 *   namespace and StorageClass name), previewed from copies of the project whose
 *   StatefulWorkload sets `pvcRetention`;
 * - `gate-scratch`: a plain @pulumi/kubernetes program (not built from the components),
 *   for what the components never do: a StorageClass that reclaims with Delete, claims
 *   that lose protect/retainOnDelete, a retained claim replaced under its own name,
 *   credentials as literal env values.
 */

export const GATE_FIXTURES = path.resolve(__dirname, "..", "..", "fixtures", "gate");

/** One recorded preview. */
export interface GateCase {
    readonly name: string;
    /** One line: the change, and how it was recorded. */
    readonly note: string;
    /** Whether the gate (default options) blocks it. */
    readonly blocks: boolean;
    /** The gate's findings, "<verdict> <rule> <name>", in its order. */
    readonly findings: readonly string[];
    /** Every step that is not `same`, as `<type>::<name>` → its ops joined with "+". */
    readonly ops: Readonly<Record<string, string>>;
}

/** The cases.json entry of a recorded case (`previewFails`: the gate refuses the document). */
export function gateManifestEntry(c: GateCase & { readonly previewError?: RegExp }): { note: string; recorded: string; blocks: boolean; findings: readonly string[]; previewFails?: true } {
    return { note: c.note, recorded: "e2e", blocks: c.blocks, findings: c.findings, ...(c.previewError ? { previewFails: true as const } : {}) };
}

// ---------------------------------------------------------------- gate-zookeeper

export const ZOOKEEPER_STACK = "gate-zookeeper";

/** Local mode, 5 members, a namespace of its own (the scenario's default is its own name). */
export const ZOOKEEPER_CONFIG: Readonly<Record<string, string>> = { localMode: "true", namespace: ZOOKEEPER_STACK, replicas: "5", scenario: "zookeeper-ensemble" };

const PROGRAM = "stacks/zookeeper-ensemble.ts";

/** Every copy: a StorageClass name of its own, so the shared zookeeper-ensemble stack's class is never touched. */
function ownClass(text: string): string {
    return text.replace('storageClassName: "zookeeper-gp3"', 'storageClassName: "gate-zookeeper-gp3"');
}

function withRetention(retention: string): (text: string) => string {
    return (text) => ownClass(text).replace('podManagementPolicy: "Parallel",', `podManagementPolicy: "Parallel",\n        pvcRetention: ${retention},`);
}

/** The program edits of each project copy the zookeeper cases run from. */
export const ZOOKEEPER_COPIES: Readonly<Record<"plain" | "whenDeleted" | "whenScaled", Readonly<Record<string, (text: string) => string>>>> = {
    plain: { [PROGRAM]: ownClass },
    whenDeleted: { [PROGRAM]: withRetention('{ whenDeleted: "Delete" }') },
    whenScaled: { [PROGRAM]: withRetention('{ whenScaled: "Delete" }') },
};

const STS = "kubernetes:apps/v1:StatefulSet::zookeeper";

/** A scale-down 5 → 3 also deletes the claim patches StatefulWorkload keeps for ordinals 3–4. */
const SCALED_AWAY_PATCHES: Readonly<Record<string, string>> = Object.fromEntries(
    ["data-3", "data-4", "datalog-3", "datalog-4"].map((n) => [`kubernetes:core/v1:PersistentVolumeClaimPatch::zookeeper-${n}`, "delete"]),
);

export const ZOOKEEPER_CASES: Readonly<Record<"scaleDownRetain" | "whenDeletedDelete" | "whenScaledDelete" | "scaleDownDelete", GateCase>> = {
    scaleDownRetain: {
        name: "zookeeper-ensemble-scale-down-retain",
        note: "real engine (gate-zookeeper stack, 9-gate e2e): deployed with replicas 5, previewed with replicas 3; whenScaled is Retain, so the claims of ordinals 3–4 are kept",
        blocks: false,
        findings: [],
        ops: { [STS]: "update", ...SCALED_AWAY_PATCHES },
    },
    whenDeletedDelete: {
        name: "zookeeper-ensemble-pvc-retention-delete",
        note: "real engine (gate-zookeeper stack, 9-gate e2e): a copied program sets pvcRetention.whenDeleted: \"Delete\"; the StatefulSet's persistentVolumeClaimRetentionPolicy.whenDeleted Retain → Delete (an update)",
        blocks: true,
        findings: ["block weakened-protection zookeeper"],
        ops: { [STS]: "update" },
    },
    whenScaledDelete: {
        name: "zookeeper-ensemble-pvc-retention-scaled-delete",
        note: "real engine (gate-zookeeper stack, 9-gate e2e): a copied program sets pvcRetention.whenScaled: \"Delete\"; whenScaled Retain → Delete (an update)",
        blocks: true,
        findings: ["block weakened-protection zookeeper"],
        ops: { [STS]: "update" },
    },
    scaleDownDelete: {
        name: "zookeeper-ensemble-scale-down-delete",
        note: "real engine (gate-zookeeper stack, 9-gate e2e): deployed with replicas 5 and whenScaled: \"Delete\", previewed with replicas 3 (applied afterwards: the controller deletes the claims of ordinals 3–4)",
        blocks: true,
        findings: ["block scale-down zookeeper"],
        ops: { [STS]: "update", ...SCALED_AWAY_PATCHES },
    },
};

// ---------------------------------------------------------------- gate-scratch

export const SCRATCH_STACK = "gate-scratch";

/** The scratch program's variants: `base` is deployed, each other one is previewed against it. */
export type ScratchVariant =
    | "base"
    | "reclaim-fixed"
    | "reclaim-replaced"
    | "class-swap"
    | "protection-removed"
    | "replaced-same-name"
    | "credentials"
    | "replicas-unknown"
    | "snapshot-class-delete"
    | "snapshot-class-labels"
    | "snapshots-removed";

/**
 * The scratch program (plain JavaScript, @pulumi/kubernetes from the repository's
 * node_modules). `stateful-stacks-gate:variant` picks what differs from `base`.
 */
export const SCRATCH_PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const k8s = require("@pulumi/kubernetes");

const variant = new pulumi.Config().get("variant") || "base";
const is = (v) => variant === v;
const skipAwait = { "pulumi.com/skipAwait": "true" };

const ns = new k8s.core.v1.Namespace("gate-scratch", { metadata: { name: "gate-scratch" } });
const namespace = ns.metadata.name;

// A class with a fixed name (class-swap: the same name under another URN, reclaiming with
// Delete), and one the provider names (a replacement is created first).
new k8s.storage.v1.StorageClass(is("class-swap") ? "fixed-v2" : "fixed", {
    metadata: { name: "gate-scratch-fixed" },
    provisioner: "ebs.csi.aws.com",
    parameters: { encrypted: "true", type: "gp3" },
    reclaimPolicy: is("reclaim-fixed") || is("class-swap") ? "Delete" : "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
});
new k8s.storage.v1.StorageClass("auto", {
    provisioner: "ebs.csi.aws.com",
    parameters: { encrypted: "true", iops: is("reclaim-replaced") ? "4000" : "3000", type: "gp3" },
    reclaimPolicy: is("reclaim-replaced") ? "Delete" : "Retain",
    volumeBindingMode: "WaitForFirstConsumer",
});

const claim = (name, labels, opts) => new k8s.core.v1.PersistentVolumeClaim(name, {
    metadata: { annotations: skipAwait, labels, name, namespace },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "gate-scratch-fixed" },
}, opts);
claim("archive", { app: "archive" }, { retainOnDelete: !is("protection-removed") });
claim("ledger", { app: "ledger" }, { protect: !is("protection-removed") });
claim("journal", { app: "journal", generation: is("replaced-same-name") ? "2" : "1" }, { replaceOnChanges: ["metadata.labels"], retainOnDelete: true });

// Snapshots (the e2e cluster has the snapshot CRDs and the snapshot-controller): a class,
// a VolumeSnapshot of the archive claim, and two pre-provisioned contents.
const snapshotClass = new k8s.apiextensions.CustomResource("snapshots", {
    apiVersion: "snapshot.storage.k8s.io/v1",
    kind: "VolumeSnapshotClass",
    metadata: is("snapshot-class-labels") ? { labels: { tier: "fast" }, name: "gate-scratch-snapshots" } : { name: "gate-scratch-snapshots" },
    deletionPolicy: is("snapshot-class-delete") ? "Delete" : "Retain",
    driver: "ebs.csi.aws.com",
});
if (!is("snapshots-removed")) {
    new k8s.apiextensions.CustomResource("snap", {
        apiVersion: "snapshot.storage.k8s.io/v1",
        kind: "VolumeSnapshot",
        metadata: { annotations: skipAwait, name: "snap", namespace },
        spec: { source: { persistentVolumeClaimName: "archive" }, volumeSnapshotClassName: "gate-scratch-snapshots" },
    }, { dependsOn: [snapshotClass] });
    for (const policy of ["Delete", "Retain"]) {
        const name = "content-" + policy.toLowerCase();
        new k8s.apiextensions.CustomResource(name, {
            apiVersion: "snapshot.storage.k8s.io/v1",
            kind: "VolumeSnapshotContent",
            metadata: { annotations: skipAwait, name: "gate-scratch-" + name },
            spec: {
                deletionPolicy: policy,
                driver: "ebs.csi.aws.com",
                source: { snapshotHandle: "snap-0" + (policy === "Delete" ? "1" : "2") + "a2b3c4d5e6f7a8b" },
                volumeSnapshotRef: { name: "restored-" + policy.toLowerCase(), namespace: "gate-scratch" },
            },
        });
    }
}

// A resource of the dynamic provider, created only by the variants that need a value not
// known until the update: in a preview, the outputs of a resource still to be created are
// unknown (a Kubernetes object's are not: provider 4.25 fills them from a server-side dry run).
const revisions = {
    async create() { return { id: "rev-1", outs: { count: 1, revision: "r1" } }; },
};
class Revision extends pulumi.dynamic.Resource {
    constructor(name) { super(revisions, name, { count: undefined, revision: undefined }, {}, "gate", "Revision"); }
}
const revision = is("credentials") || is("replicas-unknown") ? new Revision("revision") : undefined;

const password = is("credentials") ? "newpass2" : "oldpass1";
const secret = new k8s.core.v1.Secret("db", { metadata: { name: "db", namespace }, stringData: { user: "app" } });
new k8s.core.v1.SecretPatch("sp", { metadata: { name: "db", namespace }, stringData: { password } }, { dependsOn: [secret] });
new k8s.apps.v1.Deployment("api", {
    metadata: { annotations: skipAwait, name: "api", namespace },
    spec: {
        replicas: 1,
        selector: { matchLabels: { app: "api" } },
        template: {
            metadata: { annotations: is("credentials") ? { "example.com/revision": revision.revision } : {}, labels: { app: "api" } },
            spec: {
                containers: [{
                    env: [
                        { name: "PGPASSWORD", value: password },
                        { name: "DATABASE_URL", value: "postgres://app:" + password + "@db/app" },
                        { name: "REVISION", value: is("credentials") ? revision.revision : "r0" },
                    ],
                    image: "registry.example.com/api:1",
                    name: "api",
                }],
            },
        },
    },
});

// A StatefulSet (not built from the components) that deletes its claims on a scale-down.
new k8s.apps.v1.StatefulSet("cache", {
    metadata: { annotations: skipAwait, name: "cache", namespace },
    spec: {
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Delete" },
        replicas: is("replicas-unknown") ? revision.count : 2,
        selector: { matchLabels: { app: "cache" } },
        serviceName: "cache",
        template: {
            metadata: { labels: { app: "cache" } },
            spec: { containers: [{ image: "registry.example.com/cache:1", name: "cache", volumeMounts: [{ mountPath: "/data", name: "data" }] }] },
        },
        volumeClaimTemplates: [{
            metadata: { name: "data" },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "gate-scratch-fixed" },
        }],
    },
});
`;

/** Writes the scratch project into `dir`: Pulumi.yaml, index.js and a link to the repository's node_modules. */
export function writeScratchProject(dir: string): string {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: stateful-stacks-gate\nruntime: nodejs\ndescription: gate fixtures of the e2e tier\n");
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ main: "index.js", name: "stateful-stacks-gate", private: true }, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "index.js"), SCRATCH_PROGRAM);
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

const PVC = "kubernetes:core/v1:PersistentVolumeClaim";

/**
 * Scratch cases; `previewError` when provider 4.25 fails the preview: the document is
 * still recorded, and the gate refuses it (exit 2), so its findings are empty.
 */
export const SCRATCH_CASES: readonly (GateCase & { readonly variant: ScratchVariant; readonly previewError?: RegExp })[] = [
    {
        name: "scratch-reclaim-delete-replaced",
        variant: "reclaim-replaced",
        note: "real engine (gate-scratch program, 9-gate e2e): a provider-named StorageClass replaced with iops 3000 → 4000 and reclaimPolicy Retain → Delete (created under a new name first, so provider 4.25 previews it)",
        blocks: true,
        findings: ["block weakened-protection auto"],
        ops: { "kubernetes:storage.k8s.io/v1:StorageClass::auto": "replace" },
    },
    {
        name: "scratch-protection-removed",
        variant: "protection-removed",
        note: "real engine (gate-scratch program, 9-gate e2e, --show-sames): retainOnDelete dropped from the claim archive, protect from the claim ledger",
        blocks: true,
        findings: ["block weakened-protection archive", "block weakened-protection ledger"],
        ops: {},
    },
    {
        name: "scratch-retained-claim-replaced",
        variant: "replaced-same-name",
        note: "real engine (gate-scratch program, 9-gate e2e): the claim journal (retainOnDelete, replaceOnChanges metadata.labels) replaced under its own name by a label change",
        blocks: true,
        findings: ["block name-reuse journal"],
        ops: { [`${PVC}::journal`]: "replace" },
    },
    {
        name: "credentials-in-diff",
        variant: "credentials",
        note: "real engine (gate-scratch program, 9-gate e2e): a Deployment's PGPASSWORD and DATABASE_URL literals and a SecretPatch's stringData.password change, and a value not known until the update (a new dynamic resource's output) reaches the pod template's annotations and env (no finding; the diff must hide the values and print [unknown])",
        blocks: false,
        findings: [],
        ops: { "kubernetes:apps/v1:Deployment::api": "update", "kubernetes:core/v1:SecretPatch::sp": "update", "pulumi-nodejs:dynamic/gate:Revision::revision": "create" },
    },
    {
        name: "scratch-scale-down-unknown",
        variant: "replicas-unknown",
        note: "real engine (gate-scratch program, 9-gate e2e): a StatefulSet with whenScaled: \"Delete\" and 2 replicas previewed with replicas taken from a new dynamic resource's output (not known until the update)",
        blocks: true,
        findings: ["block scale-down cache"],
        ops: { "kubernetes:apps/v1:StatefulSet::cache": "update", "pulumi-nodejs:dynamic/gate:Revision::revision": "create" },
    },
    {
        name: "scratch-snapshot-class-delete",
        variant: "snapshot-class-delete",
        note: "real engine (gate-scratch program, 9-gate e2e): the VolumeSnapshotClass gate-scratch-snapshots updated with deletionPolicy Retain → Delete",
        blocks: true,
        findings: ["block weakened-protection snapshots"],
        ops: { "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass::snapshots": "update" },
    },
    {
        name: "scratch-snapshot-class-labels",
        variant: "snapshot-class-labels",
        note: "real engine (gate-scratch program, 9-gate e2e): the same VolumeSnapshotClass gains a label; deletionPolicy stays Retain",
        blocks: false,
        findings: [],
        ops: { "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass::snapshots": "update" },
    },
    {
        name: "scratch-snapshots-removed",
        variant: "snapshots-removed",
        note: "real engine (gate-scratch program, 9-gate e2e): a VolumeSnapshot and two pre-provisioned VolumeSnapshotContents (deletionPolicy Delete, Retain) removed from the program",
        blocks: true,
        findings: ["block data-loss snap", "block data-loss content-delete", "retained data-loss content-retain"],
        ops: {
            "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshot::snap": "delete",
            "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotContent::content-delete": "delete",
            "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotContent::content-retain": "delete",
        },
    },
    {
        name: "scratch-class-swap",
        variant: "class-swap",
        note: "real engine (gate-scratch program, 9-gate e2e): the StorageClass gate-scratch-fixed (Retain) deleted and created under another URN, fixed-v2, keeping its name, with reclaimPolicy Delete: provider 4.25 dry-runs the create against the live class, and the API server refuses the reclaimPolicy change, so the preview fails and the gate refuses it",
        blocks: true,
        findings: [],
        ops: { "kubernetes:storage.k8s.io/v1:StorageClass::fixed-v2": "create" },
        previewError: /reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden/,
    },
    {
        name: "scratch-reclaim-delete-fixed",
        variant: "reclaim-fixed",
        note: "real engine (gate-scratch program, 9-gate e2e): the StorageClass gate-scratch-fixed (a fixed name) with reclaimPolicy Retain → Delete: an update, which provider 4.25 dry-runs on the server, and the API server refuses (reclaimPolicy is immutable), so the preview fails and the gate refuses it",
        blocks: true,
        findings: [],
        ops: { "kubernetes:storage.k8s.io/v1:StorageClass::fixed": "update" },
        previewError: /reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden/,
    },
];

/** Writes `<name>.json` into test/fixtures/gate, formatted like the engine's own output. */
export function writeGateFixture(name: string, document: PreviewDocument): void {
    fs.writeFileSync(path.join(GATE_FIXTURES, `${name}.json`), `${JSON.stringify(document, null, 4)}\n`);
}

export function readGateFixture(name: string): PreviewDocument {
    return JSON.parse(fs.readFileSync(path.join(GATE_FIXTURES, `${name}.json`), "utf8")) as PreviewDocument;
}

export type GateManifest = Record<string, Record<string, unknown>>;

export function readGateManifest(): GateManifest {
    return JSON.parse(fs.readFileSync(path.join(GATE_FIXTURES, "cases.json"), "utf8")) as GateManifest;
}

/** Puts the recorded cases' entries into cases.json: an existing entry is replaced where it stands, a new one is appended. */
export function writeGateManifest(cases: readonly GateCase[]): void {
    const manifest = readGateManifest();
    for (const c of cases) {
        manifest[c.name] = gateManifestEntry(c);
    }
    fs.writeFileSync(path.join(GATE_FIXTURES, "cases.json"), `${JSON.stringify(manifest, null, 4)}\n`);
}
