import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluateGate, parsePreview, PreviewDocument } from "../../tools/gate";
import { e2e, pulumi } from "./support/context";
import { KubeObject } from "./support/kube";
import { operations } from "./support/preview";
import { REPO } from "./support/toolchain";

/**
 * Retuning EBS performance in place on the real engine (Pulumi CLI, provider 4.25, a
 * Kubernetes 1.34 control plane): an EbsVolumeAttributesClass, registered as a
 * `storage.k8s.io/v1` VolumeAttributesClass through `kubernetes.apiextensions.CustomResource`,
 * named by two claims. Changing its IOPS creates a new class and moves the claims to it in
 * place; the driver's ModifyVolume is simulated at the edge (tools/e2e/provisioner.js). The
 * program is a small one of its own (its folder is made here), so this file brings up and
 * tears down everything it needs.
 */

const STACK = "retune";
const NAMESPACE = "retune";
const CLAIMS = ["data-retune-0", "data-retune-1"];
const vacName = (iops: number) => `retune-fast-gp3-${iops}iops-250mibps`;
const VAC_TYPE = "kubernetes:storage.k8s.io/v1:VolumeAttributesClass";

const PROGRAM = (components: string) => `import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EbsStorageClass, EbsVolumeAttributesClass } from ${JSON.stringify(components)};

const config = new pulumi.Config();
const namespace = new k8s.core.v1.Namespace("${NAMESPACE}", { metadata: { name: "${NAMESPACE}" } });
// The StorageClass carries no IOPS or throughput: they come from the VolumeAttributesClass,
// for new volumes (the provisioner passes them to CreateVolume) and for existing ones.
const fast = new EbsStorageClass("retune-fast", { storageClassName: "retune-fast", volumeBindingMode: "Immediate" });
const performance = new EbsVolumeAttributesClass("retune-fast-performance", {
    iops: config.requireNumber("iops"),
    namePrefix: "retune-fast",
    throughputMibps: config.requireNumber("throughputMibps"),
});
export const claims = ${JSON.stringify(CLAIMS)}.map((name) =>
    new k8s.core.v1.PersistentVolumeClaim(
        name,
        {
            metadata: { name, namespace: "${NAMESPACE}" },
            spec: {
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: "20Gi" } },
                storageClassName: fast.storageClassName,
                volumeAttributesClassName: performance.volumeAttributesClassName,
            },
        },
        { dependsOn: [fast, namespace] },
    ).metadata.name,
);
export const volumeAttributesClassName = performance.volumeAttributesClassName;
`;

interface Uids {
    readonly claims: Map<string, string>;
    readonly volumes: Map<string, string>;
    readonly storageClass: string;
}

describe("e2e: retune EBS IOPS in place through a VolumeAttributesClass", function () {
    let project: string;
    let original: Uids;

    const kube = () => e2e().kube;
    const claimPath = (name: string) => `/api/v1/namespaces/${NAMESPACE}/persistentvolumeclaims/${name}`;
    const vacPath = (name: string) => `/apis/storage.k8s.io/v1/volumeattributesclasses/${name}`;
    const run = (args: readonly string[], expect?: readonly number[]) => pulumi([...args, "-s", STACK], { cwd: project, expect });

    async function uids(): Promise<Uids> {
        const claims = new Map<string, string>();
        const volumes = new Map<string, string>();
        for (const name of CLAIMS) {
            const claim = await kube().must(claimPath(name));
            claims.set(name, claim.metadata.uid);
            const pv = await kube().must(`/api/v1/persistentvolumes/${claim.spec.volumeName}`);
            volumes.set(name, pv.metadata.uid);
        }
        const storageClass = (await kube().must("/apis/storage.k8s.io/v1/storageclasses/retune-fast")).metadata.uid;
        return { claims, storageClass, volumes };
    }

    /** Every claim names `vac`, its volume does, and the (simulated) driver has applied it. */
    async function expectClaimsOn(vac: string): Promise<void> {
        for (const name of CLAIMS) {
            const claim = await kube().eventually(
                `${NAMESPACE}/${name} to be modified to ${vac}`,
                async () => {
                    const c = await kube().get(claimPath(name));
                    return c?.status?.phase === "Bound" && c.status.currentVolumeAttributesClassName === vac && c.status.modifyVolumeStatus === undefined ? c : undefined;
                },
                60_000,
            );
            assert.equal(claim.spec.volumeAttributesClassName, vac, `${name}: spec.volumeAttributesClassName`);
            const pv = await kube().must(`/api/v1/persistentvolumes/${claim.spec.volumeName}`);
            assert.equal(pv.spec.volumeAttributesClassName, vac, `${name}: its volume's spec.volumeAttributesClassName`);
        }
    }

    async function setIops(iops: number): Promise<void> {
        await run(["config", "set", "iops", String(iops)]);
    }

    async function preview(): Promise<PreviewDocument> {
        const result = await run(["preview", "--json", "--show-sames"]);
        return parsePreview(result.stdout);
    }

    before(async function () {
        const { root, project: copy } = e2e();
        project = path.join(root, "retune-project");
        fs.mkdirSync(project, { recursive: true });
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            ["name: retune-e2e", "runtime:", "  name: nodejs", "  options:", "    typescript: false", '    nodeargs: "--require tsx/cjs"', "main: index.ts", ""].join("\n"),
        );
        fs.writeFileSync(path.join(project, "package.json"), `${JSON.stringify({ name: "retune-e2e", private: true }, null, 2)}\n`);
        fs.writeFileSync(path.join(project, "index.ts"), PROGRAM(path.join(copy, "components")));
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(project, "node_modules"), "dir");
        await pulumi(["stack", "init", STACK, "--secrets-provider", "passphrase"], { cwd: project });
        await run(["config", "set", "throughputMibps", "250"]);
        await setIops(6000);
        const started = Date.now();
        await run(["up", "--yes", "--skip-preview"]);
        console.log(`      (retune program up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    });

    after(async function () {
        if (project !== undefined) {
            await run(["destroy", "--yes", "--skip-preview"]);
            await run(["stack", "rm", "--yes"]);
        }
    });

    it("the class is a storage.k8s.io/v1 VolumeAttributesClass named from its parameters, protected by Kubernetes while in use", async () => {
        const vac = await kube().must(vacPath(vacName(6000)));
        assert.equal(vac.apiVersion, "storage.k8s.io/v1");
        assert.equal(vac.kind, "VolumeAttributesClass");
        assert.equal(vac.driverName, "ebs.csi.aws.com");
        assert.deepEqual(vac.parameters, { iops: "6000", throughput: "250", type: "gp3" });
        assert.deepEqual(vac.metadata.labels, { "app.kubernetes.io/managed-by": "stateful-stacks" });
        assert.deepEqual(vac.metadata.finalizers, ["kubernetes.io/vac-protection"]);
        const sc = await kube().must("/apis/storage.k8s.io/v1/storageclasses/retune-fast");
        assert.deepEqual(sc.parameters, { "csi.storage.k8s.io/fstype": "ext4", encrypted: "true", type: "gp3" });
    });

    it("new claims are provisioned with the class: their volumes name it and the claims report it as current", async () => {
        await expectClaimsOn(vacName(6000));
        original = await uids();
    });

    it("changing the IOPS previews a new class, claims updated in place and the old class deleted, no replacement; the gate passes", async () => {
        await setIops(8000);
        const document = await preview();
        const ops = operations(document);
        assert.deepEqual(
            Object.fromEntries(Object.entries(ops).filter(([, op]) => op !== "same")),
            {
                "kubernetes:core/v1:PersistentVolumeClaim::data-retune-0": "update",
                "kubernetes:core/v1:PersistentVolumeClaim::data-retune-1": "update",
                [`${VAC_TYPE}::retune-fast-performance-gp3-6000iops-250mibps`]: "delete",
                [`${VAC_TYPE}::retune-fast-performance-gp3-8000iops-250mibps`]: "create",
            },
        );
        const verdict = evaluateGate(document);
        assert.equal(verdict.blocked, false, `gate findings: ${JSON.stringify(verdict.findings)}`);
    });

    it("pulumi up moves every claim to the new class in place: same claims, volumes and StorageClass; the old class is kept", async () => {
        const started = Date.now();
        await run(["up", "--yes", "--skip-preview"]);
        await expectClaimsOn(vacName(8000));
        console.log(`      (retuned ${CLAIMS.length} claims in ${((Date.now() - started) / 1000).toFixed(1)} s, up and simulated ModifyVolume)`);
        assert.deepEqual(await uids(), original);
        const vac = await kube().must(vacPath(vacName(8000)));
        assert.deepEqual(vac.parameters, { iops: "8000", throughput: "250", type: "gp3" });
        const old: KubeObject = await kube().must(vacPath(vacName(6000)));
        assert.equal(old.metadata.deletionTimestamp, undefined, "the previous class is retained, not deleted");
        const log = fs.readFileSync(path.join(e2e().root, "cluster", "provisioner.log"), "utf8");
        for (const name of CLAIMS) {
            assert.ok(log.includes(`modify ${NAMESPACE}/${name}: InProgress → ${vacName(8000)}`), `the provisioner log shows ${name} InProgress`);
        }
    });

    it("retuning back re-uses the retained class, and an IOPS value out of range is refused before anything reaches the cluster", async () => {
        await setIops(6000);
        await run(["up", "--yes", "--skip-preview"]);
        await expectClaimsOn(vacName(6000));
        assert.deepEqual(await uids(), original);

        await setIops(90000);
        const refused = await run(["preview"], [1]);
        const output = `${refused.stdout}\n${refused.stderr}`;
        for (const line of ['InputPropertiesError: EbsVolumeAttributesClass "retune-fast-performance" has 1 invalid argument:', "- iops: must be an integer from 3000 to 80000 for gp3 volumes (got 90000)"]) {
            assert.ok(output.includes(line), output);
        }
        await setIops(6000);
        assert.equal(await kube().get(vacPath("retune-fast-gp3-90000iops-250mibps")), undefined);
    });
});
