/**
 * One cdk8s measurement, in its own process (started by `scaling.ts`): cdk8s-plus
 * synthesises N StatefulSets equivalent to the StatefulWorkload scaling case (3 replicas,
 * one claim template on one shared gp3 StorageClass, a headless Service, a client Service
 * and a PodDisruptionBudget each) to YAML in memory. Prints one JSON line:
 * `{ kind: "cdk8s", n, ms, cpuMs, rssMb, loadMs, objects }`.
 *
 * cdk8s and cdk8s-plus are dev dependencies loaded only here.
 */
import { performance } from "perf_hooks";

const loadStarted = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cdk8s = require("cdk8s");
// eslint-disable-next-line @typescript-eslint/no-require-imports
import kplus = require("cdk8s-plus-33");

function synth(n: number): { yaml: string; objects: number } {
    const app = new cdk8s.App();
    const chart = new cdk8s.Chart(app, "bench", { disableResourceNameHashes: true, namespace: "bench" });
    new cdk8s.ApiObject(chart, "shared", {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "shared" },
        allowVolumeExpansion: true,
        parameters: { encrypted: "true", type: "gp3" },
        provisioner: "ebs.csi.aws.com",
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
    } as cdk8s.ApiObjectProps);
    for (let i = 0; i < n; i++) {
        const name = `wkld-${i}`;
        const set = new kplus.StatefulSet(chart, name, {
            containers: [{ image: "postgres:16.4", name, portNumber: 5432, resources: {} }],
            metadata: { name },
            podManagementPolicy: kplus.PodManagementPolicy.ORDERED_READY,
            replicas: 3,
        });
        // The claim template's volume: mounted by name; cdk8s-plus leaves it out of the pod's volumes.
        set.containers[0].mount("/var/lib/postgresql/data", kplus.Volume.fromEmptyDir(set, `${name}-data`, "data"));
        set.addVolumeClaimTemplate({ accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE], name: "data", storage: cdk8s.Size.gibibytes(10), storageClassName: "shared" });
        new kplus.Service(chart, `${name}-client`, { metadata: { name }, ports: [{ name: "pg", port: 5432 }], selector: set });
        new cdk8s.ApiObject(chart, `${name}-pdb`, {
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: { name },
            spec: { maxUnavailable: 1, selector: { matchLabels: { "cdk8s.io/metadata.addr": set.matchLabels["cdk8s.io/metadata.addr"] ?? name } } },
        } as cdk8s.ApiObjectProps);
    }
    const yaml = app.synthYaml();
    return { objects: chart.toJson().length, yaml };
}

function main(): void {
    const n = Number(process.argv[2]);
    const loadMs = performance.now() - loadStarted;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { objects, yaml } = synth(n);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ bytes: yaml.length, cpuMs: Math.round((used.user + used.system) / 1000), kind: "cdk8s", loadMs: Math.round(loadMs), ms: Math.round(ms), n, objects, rssMb: Math.round(rssMb) })}\n`);
}

main();
