import { strict as assert } from "assert";
import { pulumi } from "./context";
import { Kube, KubeObject, paths } from "./kube";

/**
 * Live-state checks against the API server: what the controllers, the scheduler, kwok (the
 * kubelets) and the cluster's provisioner (the cloud's volume drivers) made of what
 * `pulumi up` created. Written against behaviour (bound, ready, UIDs, names), not against
 * rendered specs, so they keep holding while the components change.
 */

/** One claim as the API server has it. */
export interface ClaimState {
    readonly uid: string;
    readonly phase: string;
    readonly volumeName: string;
    readonly storageClass: string;
    readonly request: string;
    readonly capacity: string | undefined;
}

/** Every claim and volume of the cluster: `<namespace>/<name>` → claim, PV name → PV uid. */
export interface StorageSnapshot {
    readonly claims: ReadonlyMap<string, ClaimState>;
    readonly volumes: ReadonlyMap<string, { readonly uid: string; readonly claimUid: string | undefined; readonly phase: string }>;
}

export async function storageSnapshot(kube: Kube): Promise<StorageSnapshot> {
    const claims = new Map<string, ClaimState>();
    for (const c of (await kube.must("/api/v1/persistentvolumeclaims")).items as KubeObject[]) {
        claims.set(`${c.metadata.namespace}/${c.metadata.name}`, {
            uid: c.metadata.uid,
            phase: c.status?.phase,
            volumeName: c.spec.volumeName ?? "",
            storageClass: c.spec.storageClassName,
            request: c.spec.resources.requests.storage,
            capacity: c.status?.capacity?.storage,
        });
    }
    const volumes = new Map<string, { uid: string; claimUid: string | undefined; phase: string }>();
    for (const v of (await kube.must(paths.pv())).items as KubeObject[]) {
        volumes.set(v.metadata.name, { uid: v.metadata.uid, claimUid: v.spec.claimRef?.uid, phase: v.status?.phase });
    }
    return { claims, volumes };
}

/**
 * Every claim of `before` is still there with the same UID and the same volume, and every
 * volume of `before` still exists — except the claims named in `lost` (`<namespace>/<name>`).
 */
export function expectNoClaimLost(before: StorageSnapshot, after: StorageSnapshot, what: string, lost: readonly string[] = []): void {
    const problems: string[] = [];
    for (const [key, claim] of before.claims) {
        if (lost.includes(key)) {
            continue;
        }
        const now = after.claims.get(key);
        if (now === undefined) {
            problems.push(`claim ${key} was deleted`);
        } else if (now.uid !== claim.uid) {
            problems.push(`claim ${key} was re-created (uid ${claim.uid} → ${now.uid})`);
        } else if (claim.volumeName && now.volumeName !== claim.volumeName) {
            problems.push(`claim ${key} moved from volume ${claim.volumeName} to ${now.volumeName}`);
        }
    }
    for (const [name, volume] of before.volumes) {
        const claimKey = [...before.claims].find(([, c]) => c.uid === volume.claimUid)?.[0];
        if (claimKey && lost.includes(claimKey)) {
            continue;
        }
        if (!after.volumes.has(name) && volume.phase === "Bound") {
            problems.push(`volume ${name} (of ${claimKey ?? volume.claimUid}) was deleted`);
        }
    }
    assert.deepEqual(problems, [], `${what}: data lost`);
}

/** `<kind>/<namespace>/<name>` → uid of every Kubernetes object in the stack's state. */
export async function stateObjects(stack: string): Promise<Map<string, { urn: string; uid: string }>> {
    const exported = JSON.parse((await pulumi(["stack", "export", "-s", stack])).stdout) as {
        deployment: { resources?: { urn: string; type: string; outputs?: KubeObject; delete?: boolean }[] };
    };
    const out = new Map<string, { urn: string; uid: string }>();
    for (const r of exported.deployment.resources ?? []) {
        if (!r.type.startsWith("kubernetes:") || r.type.startsWith("pulumi:providers") || r.delete) {
            continue;
        }
        const meta = r.outputs?.metadata as KubeObject | undefined;
        if (meta?.uid) {
            out.set(`${r.outputs?.kind}/${meta.namespace ?? ""}/${meta.name}`, { urn: r.urn, uid: meta.uid });
        }
    }
    return out;
}

function isReady(pod: KubeObject): boolean {
    return pod.status?.phase === "Running" && (pod.status?.conditions ?? []).some((c: KubeObject) => c.type === "Ready" && c.status === "True");
}

/** The pods of a namespace, by name. */
export async function pods(kube: Kube, namespace: string): Promise<KubeObject[]> {
    return ((await kube.must(paths.core(namespace, "pods"))).items as KubeObject[]).filter((p) => !p.metadata.deletionTimestamp);
}

/**
 * A StatefulSet as the controllers left it after `pulumi up` returned (the provider waited
 * for it): `readyReplicas == replicas`, pods `<sts>-0..n-1` Running and Ready on nodes,
 * claims `<volume>-<sts>-<i>` Bound with the class and size asked for, each to a
 * PersistentVolume of that class and capacity, made for exactly that claim.
 * Returns the zones the pods run in, by ordinal.
 */
export async function expectStatefulSetLive(kube: Kube, namespace: string, sts: string, volumes: readonly { name: string; storageClass: string; size: string }[]): Promise<string[]> {
    const set = await kube.must(paths.apps(namespace, "statefulsets", sts));
    const replicas = set.spec.replicas as number;
    assert.equal(set.status.readyReplicas ?? 0, replicas, `${namespace}/${sts}: readyReplicas`);
    assert.equal(set.status.observedGeneration, set.metadata.generation, `${namespace}/${sts}: observed generation`);
    const nodes = new Map(((await kube.must(paths.nodes())).items as KubeObject[]).map((n) => [n.metadata.name as string, n]));
    const zones: string[] = [];
    for (let i = 0; i < replicas; i++) {
        const pod = await kube.must(paths.core(namespace, "pods", `${sts}-${i}`));
        assert.ok(isReady(pod), `${namespace}/${sts}-${i}: Running and Ready (phase ${pod.status?.phase})`);
        assert.equal(pod.metadata.ownerReferences?.[0]?.kind, "StatefulSet");
        const node = nodes.get(pod.spec.nodeName);
        assert.ok(node, `${namespace}/${sts}-${i}: on a node (${pod.spec.nodeName})`);
        zones.push(node.metadata.labels["topology.kubernetes.io/zone"]);
        for (const volume of volumes) {
            const name = `${volume.name}-${sts}-${i}`;
            const claim = await expectClaimBound(kube, namespace, name, volume.storageClass, volume.size);
            const pv = await kube.must(paths.pv(claim.spec.volumeName));
            const affinity = JSON.stringify(pv.spec.nodeAffinity ?? {});
            if (pv.spec.csi?.driver === "ebs.csi.aws.com") {
                assert.ok(affinity.includes(`"${zones[i]}"`), `${name}: its EBS volume is in the pod's zone ${zones[i]} (${affinity})`);
            }
            assert.ok(
                (pod.spec.volumes as KubeObject[]).some((v) => v.persistentVolumeClaim?.claimName === name),
                `${namespace}/${sts}-${i} mounts ${name}`,
            );
        }
    }
    return zones;
}

/** A claim Bound with class and size, to a PV of that class and capacity whose claimRef is this claim. */
export async function expectClaimBound(kube: Kube, namespace: string, name: string, storageClass: string, size: string): Promise<KubeObject> {
    const claim = await kube.must(paths.core(namespace, "persistentvolumeclaims", name));
    assert.equal(claim.status?.phase, "Bound", `${namespace}/${name}: phase`);
    assert.equal(claim.spec.storageClassName, storageClass, `${namespace}/${name}: storage class`);
    assert.equal(claim.spec.resources.requests.storage, size, `${namespace}/${name}: requested size`);
    assert.equal(claim.status.capacity?.storage, size, `${namespace}/${name}: capacity`);
    const pv = await kube.must(paths.pv(claim.spec.volumeName));
    assert.equal(pv.status?.phase, "Bound", `volume ${pv.metadata.name} of ${namespace}/${name}`);
    assert.equal(pv.spec.claimRef?.uid, claim.metadata.uid, `volume ${pv.metadata.name} is bound to ${namespace}/${name}`);
    assert.equal(pv.spec.storageClassName, storageClass, `volume ${pv.metadata.name}: class`);
    assert.equal(pv.spec.capacity.storage, size, `volume ${pv.metadata.name}: capacity`);
    const sc = await kube.must(paths.storageClass(storageClass));
    if (sc.provisioner !== "kubernetes.io/no-provisioner") {
        assert.equal(pv.spec.csi?.driver, sc.provisioner, `volume ${pv.metadata.name}: CSI driver`);
        assert.ok(pv.spec.csi?.volumeHandle, `volume ${pv.metadata.name}: a volume handle`);
    }
    return claim;
}

/** A Deployment rolled out: every replica updated, available and Ready. */
export async function expectDeploymentLive(kube: Kube, namespace: string, name: string): Promise<KubeObject[]> {
    const d = await kube.must(paths.apps(namespace, "deployments", name));
    const replicas = d.spec.replicas as number;
    assert.equal(d.status.observedGeneration, d.metadata.generation, `${namespace}/${name}: observed generation`);
    assert.equal(d.status.readyReplicas ?? 0, replicas, `${namespace}/${name}: readyReplicas`);
    assert.equal(d.status.updatedReplicas ?? 0, replicas, `${namespace}/${name}: updatedReplicas`);
    assert.equal(d.status.availableReplicas ?? 0, replicas, `${namespace}/${name}: availableReplicas`);
    const selector = d.spec.selector.matchLabels as Record<string, string>;
    const mine = (await pods(kube, namespace)).filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
    assert.equal(mine.filter(isReady).length, replicas, `${namespace}/${name}: Ready pods`);
    return mine;
}

export { isReady };
