import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { e2e, PulumiError } from "./support/context";
import { paths } from "./support/kube";
import { copyProject } from "./support/project";
import { run, RunResult } from "./support/run";
import { CONCURRENCY, configArgs, DB_PASSWORD, FILE_SYSTEM_ID, pool, STACK_NAMES } from "./support/stacks";
import { REPO } from "./support/toolchain";

/**
 * The CrossGuard pack in policy/ under the real CLI: `pulumi preview --policy-pack policy`
 * runs it as an analyzer plugin (the language host's RunPlugin), on a deliberately bad
 * program (every mandatory policy named, with its enforcement level and message; the
 * advisory one too; the preview fails) and on every scenario stack (passes), plus changes
 * to the scenario programs that a policy must catch. `pulumi up` with the pack stops a
 * bad program before anything is created. The stacks are this file's own, previewed only
 * (the bad program's `up` creates nothing).
 */

const PACK = path.join(REPO, "policy");

/**
 * The CLI runs of this file use a private copy of the CLI with the language host beside it
 * (the repository's stand-in, or STATEFUL_STACKS_LANGUAGE_HOST): the engine looks for
 * language plugins beside its own executable, and the toolchain's shared bin folder gets
 * the host of whichever worktree ran toolchain.sh last.
 */
let privateEnv: NodeJS.ProcessEnv | undefined;

function cliEnv(): NodeJS.ProcessEnv {
    if (privateEnv === undefined) {
        const { env, root } = e2e();
        const bin = path.join(root, "policy-bin");
        fs.mkdirSync(bin, { recursive: true });
        const shared = (env.PATH ?? "").split(":").find((dir) => fs.existsSync(path.join(dir, "pulumi")) && fs.existsSync(path.join(dir, "pulumi-resource-pulumi-nodejs")));
        assert.ok(shared, "the toolchain's Pulumi CLI on PATH");
        fs.copyFileSync(path.join(shared, "pulumi"), path.join(bin, "pulumi"));
        fs.copyFileSync(path.join(shared, "pulumi-resource-pulumi-nodejs"), path.join(bin, "pulumi-resource-pulumi-nodejs"));
        fs.copyFileSync(process.env.STATEFUL_STACKS_LANGUAGE_HOST || path.join(REPO, "tools", "e2e", "bin", "pulumi-language-nodejs"), path.join(bin, "pulumi-language-nodejs"));
        for (const file of fs.readdirSync(bin)) {
            fs.chmodSync(path.join(bin, file), 0o755);
        }
        privateEnv = { ...env, PATH: `${bin}:${env.PATH ?? ""}` };
    }
    return privateEnv;
}

async function pulumi(args: readonly string[], options: { cwd: string; expect?: readonly number[] }): Promise<RunResult> {
    const all = [...args, "--non-interactive"];
    const result = await run(path.join(cliEnv().PATH!.split(":")[0], "pulumi"), all, { cwd: options.cwd, env: cliEnv(), timeoutMs: 600_000 });
    if (!(options.expect ?? [0]).includes(result.code)) {
        throw new PulumiError(all, result);
    }
    return result;
}

/** The bad program: one violation per policy, all of them Kubernetes objects (the tier has no AWS provider). */
const BAD_PROGRAM = `"use strict";
const k8s = require("@pulumi/kubernetes");

new k8s.storage.v1.StorageClass("loose", {
    metadata: { name: "policy-bad-loose" },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp3" },
    reclaimPolicy: "Delete",
});
new k8s.apps.v1.Deployment("api", {
    metadata: { name: "api", namespace: "policy-bad" },
    spec: {
        selector: { matchLabels: { app: "api" } },
        template: {
            metadata: { labels: { app: "api" } },
            spec: { containers: [{ env: [{ name: "PGPASSWORD", value: "hunter2-literal" }], image: "registry.example.com/api:1", name: "api" }] },
        },
    },
});
new k8s.apps.v1.StatefulSet("db", {
    metadata: { name: "db", namespace: "policy-bad" },
    spec: {
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
        replicas: 2,
        selector: { matchLabels: { app: "db" } },
        serviceName: "db",
        template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ image: "registry.example.com/db:1", name: "db" }] } },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
    },
});
new k8s.policy.v1.PodDisruptionBudget("db", {
    metadata: { name: "db", namespace: "policy-bad" },
    spec: { maxUnavailable: 0, selector: { matchLabels: { app: "db" } } },
});
new k8s.batch.v1.CronJob("backup", {
    metadata: { name: "nightly-backup-of-the-primary-database-to-cold-storage", namespace: "policy-bad" },
    spec: {
        schedule: "0 3 * * *",
        jobTemplate: { spec: { template: { spec: { containers: [{ image: "registry.example.com/backup:1", name: "backup" }], restartPolicy: "OnFailure" } } } },
    },
});
`;

function writeBadProject(dir: string): string {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: stateful-stacks-policy-bad\nruntime: nodejs\ndescription: a program the policy pack must refuse\n");
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ main: "index.js", name: "stateful-stacks-policy-bad", private: true }, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "index.js"), BAD_PROGRAM);
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    return dir;
}

/** The policy lines of the CLI's text output: everything after the "Policies:" heading up to the next section. */
function policySection(result: RunResult): string {
    const text = result.stdout;
    const start = text.indexOf("Policies:");
    return start < 0 ? "" : text.slice(start);
}

/** How the scenario stacks are configured here: local mode, each in its own namespace. */
function scenarioConfig(scenario: string): Record<string, string> {
    return { localMode: "true", namespace: `policy-${scenario}`, scenario, ...(scenario === "shared-content-efs" ? { fileSystemId: FILE_SYSTEM_ID } : {}) };
}

const SECRETS: Readonly<Record<string, Record<string, string>>> = {
    "external-database": { dbPassword: DB_PASSWORD },
    "postgres-ebs": { dbPassword: DB_PASSWORD },
};

describe("e2e: the policy pack under the real CLI", function () {
    const outputs = new Map<string, RunResult>();
    let bad: string;

    before(async function () {
        this.timeout(40 * 60_000);
        const { root } = e2e();
        bad = writeBadProject(path.join(root, "policy-bad"));
        await pulumi(["stack", "init", "policy-bad", "--secrets-provider", "passphrase"], { cwd: bad });
        outputs.set("bad preview", await pulumi(["preview", "--policy-pack", PACK, "-s", "policy-bad"], { cwd: bad, expect: [0, 1, 255] }));
        outputs.set("bad up", await pulumi(["up", "--yes", "--policy-pack", PACK, "-s", "policy-bad"], { cwd: bad, expect: [0, 1, 255] }));
        const project = copyProject(path.join(root, "policy-scenarios"));
        await pool(STACK_NAMES, CONCURRENCY, async (scenario) => {
            const stack = `policy-${scenario}`;
            await pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], { cwd: project });
            await pulumi(["config", "set-all", "-s", stack, ...configArgs(scenarioConfig(scenario), SECRETS[scenario] ?? {})], { cwd: project });
            outputs.set(scenario, await pulumi(["preview", "--policy-pack", PACK, "-s", stack], { cwd: project, expect: [0, 1, 255] }));
        });
        for (const [name, r] of outputs) {
            console.log(`----- ${name}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
        }
    });

    /** What the CLI prints under "Policies:" for the bad program: every policy, its level and message. */
    const BAD_POLICIES = () => [
        "Policies:",
        `    ❌ stateful-stacks@v0.1.0 (local: ${PACK})`,
        "        - [mandatory]  encryption-at-rest  (kubernetes:storage.k8s.io/v1:StorageClass: loose)",
        "          EBS StorageClasses, EBS volumes and EFS file systems are encrypted at rest.",
        '          StorageClass "policy-bad-loose" provisions EBS volumes without encryption (parameters.encrypted is unset). Set parameters.encrypted: "true".',
        "        - [mandatory]  kubernetes-name-limits  (kubernetes:batch/v1:CronJob: backup)",
        "          Kubernetes object names fit the API server's rules and the names controllers derive from them (StatefulSets at most 52 characters, Services and Namespaces DNS-1123 labels).",
        '          CronJob "nightly-backup-of-the-primary-database-to-cold-storage": the name (54 characters) must be a DNS-1123 subdomain of at most 52 characters (the Jobs it creates append 11).',
        "        - [mandatory]  no-literal-credentials  (kubernetes:apps/v1:Deployment: api)",
        "          Container environment variables named like credentials (PASSWORD, TOKEN, SECRET, API_KEY, …), or whose value is itself a credential (a connection string with a password), take their value from a Secret, never a literal.",
        '          Deployment "api": containers[0] (api).env[0] PGPASSWORD holds a literal value: anyone who can read the Deployment reads it. Put it in a Secret and use valueFrom.secretKeyRef.',
        "        - [mandatory]  pdb-allows-eviction  (kubernetes:policy/v1:PodDisruptionBudget: db)",
        "          A PodDisruptionBudget lets at least one pod be evicted, so node drains and cluster upgrades can proceed.",
        '          PodDisruptionBudget "db" has maxUnavailable 0: no pod may ever be evicted, so every node drain blocks. Allow at least 1.',
        "        - [mandatory]  statefulset-claims-retained  (kubernetes:apps/v1:StatefulSet: db)",
        "          StatefulSets with volume claim templates keep their claims when deleted and when scaled down (persistentVolumeClaimRetentionPolicy Retain).",
        '          StatefulSet "db" has persistentVolumeClaimRetentionPolicy.whenDeleted "Delete": its claims and their data are deleted with the StatefulSet. Set whenDeleted: "Retain" (the Kubernetes default).',
        "        - [mandatory]  storage-class-retain  (kubernetes:storage.k8s.io/v1:StorageClass: loose)",
        "          StorageClasses reclaim with Retain and VolumeSnapshotClasses delete with Retain: a deleted claim or snapshot object never takes its data with it.",
        '          StorageClass "policy-bad-loose" has reclaimPolicy "Delete": every volume it provisions is deleted with its claim. Set reclaimPolicy: "Retain".',
        "        - [advisory]  data-holding-protected  (kubernetes:apps/v1:StatefulSet: db)",
        "          Resources that hold data (claims, volumes, file systems, keys, databases, buckets, StatefulSets with claim templates) are protected, so no change or destroy removes them unasked.",
        '          StatefulSet "db" holds data and is not protected. Pass protect: true (or retainOnDelete: true, which policies cannot see) in its resource options.',
        "",
    ];

    it("the bad program: the preview fails (exit 1), naming every violated policy with its enforcement level and message", () => {
        const r = outputs.get("bad preview")!;
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.deepEqual(policySection(r).split("\n").slice(0, BAD_POLICIES().length), BAD_POLICIES());
        assert.ok(!r.stdout.includes("hunter2-literal"), "the literal credential is not printed");
    });

    it("pulumi up with the pack stops the bad program before anything is created", async () => {
        const r = outputs.get("bad up")!;
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.deepEqual(policySection(r).split("\n").slice(0, BAD_POLICIES().length), BAD_POLICIES());
        const { kube } = e2e();
        assert.equal(await kube.get(paths.storageClass("policy-bad-loose")), undefined, "no StorageClass created");
        assert.deepEqual(await kube.names(paths.apps("policy-bad", "deployments")), [], "no Deployment created");
        const exported = JSON.parse((await pulumi(["stack", "export", "-s", "policy-bad"], { cwd: bad })).stdout) as { deployment: { resources?: unknown[] } };
        assert.deepEqual(exported.deployment.resources ?? [], [], "nothing in the state");
    });

    for (const scenario of STACK_NAMES) {
        it(`${scenario}: the preview with the pack passes`, () => {
            const r = outputs.get(scenario)!;
            assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
        });
    }
});
