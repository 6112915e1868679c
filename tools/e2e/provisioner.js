#!/usr/bin/env node
// The cloud's part of volume provisioning for the e2e control plane, the way kwok plays
// the kubelet's: no real volume exists anywhere. Everything else is the real control
// plane: the scheduler picks a node for a WaitForFirstConsumer claim
// (`volume.kubernetes.io/selected-node`), the PV controller hands the claim to the CSI
// driver (`volume.kubernetes.io/storage-provisioner`), binds the PersistentVolume made
// here to the claim, and releases it when the claim goes; the expand controller leaves a
// grown claim of a CSI volume to the driver's resizer (event ExternalExpanding).
//
// What this process does, in a poll loop over the API server (admin client certificate):
// - provisioner (external-provisioner + CSI CreateVolume): for a Pending claim the PV
//   controller gave to ebs.csi.aws.com or efs.csi.aws.com, a PersistentVolume `pvc-<uid>`
//   pre-bound to it (`claimRef`), of the claim's class, size, access modes and volume
//   mode, with a CSI source (the driver's name, a volume handle shaped like the cloud's:
//   `vol-…` for EBS, `<fileSystemId>::fsap-…` for EFS) and, for EBS, node affinity to
//   the zone of the node the scheduler selected;
// - static local volumes (the local-static-provisioner's part): for every
//   `kubernetes.io/no-provisioner` class, unbound local PersistentVolumes on each node
//   that carries the storage label (two of 100Gi each by default), for the scheduler's
//   volume binder to match to a claim and the PV controller to bind; a used one is
//   replaced by a new one;
// - deleter: a Released (or Failed) PersistentVolume made here whose reclaim policy is
//   Delete is deleted (Retain ones are left alone: the data "stays");
// - resizer (external-resizer + CSI ControllerExpandVolume, and the node's expansion):
//   when a Bound claim asks for more than its capacity and its class allows expansion,
//   the PersistentVolume's capacity and the claim's `status.capacity` are set to the
//   new size.
// - modifier (external-resizer + CSI ControllerModifyVolume, e.g. EBS ModifyVolume): when
//   a Bound claim's `spec.volumeAttributesClassName` differs from its
//   `status.currentVolumeAttributesClassName`, the claim's `status.modifyVolumeStatus` goes
//   InProgress (or Pending while the class does not exist, Infeasible when the class is
//   of another driver), then on the next round the PersistentVolume's
//   `spec.volumeAttributesClassName` and the claim's current class are set to the target
//   and the modify status is cleared. A claim that names a class at creation gets a volume
//   only once the class exists (external-provisioner), and the volume names it.
//
// - snapshotter (the csi-snapshotter sidecar + the EBS driver's CreateSnapshot and
//   DeleteSnapshot; the real snapshot-controller runs beside this process): a
//   VolumeSnapshotContent of ebs.csi.aws.com or efs.csi.aws.com that the snapshot-controller
//   made for a VolumeSnapshot (`spec.source.volumeHandle`) gets its status — a
//   `snap-…` handle, `readyToUse: true`, `restoreSize` (the volume's capacity in bytes),
//   `creationTime` — and the controller's being-created annotation removed; a deleted
//   content has its bound-protection finalizer removed (the "cloud snapshot" goes with it);
// - restore (external-provisioner with a data source): a claim with a `dataSourceRef` to a
//   VolumeSnapshot is provisioned only once the snapshot is readyToUse and the claim is at
//   least its restoreSize; one to a PersistentVolumeClaim (a clone) only once that claim is
//   Bound, of the same class, and no larger than the new one. The PersistentVolume records
//   its source in the annotation `stateful-stacks.io/e2e-restored-from`.
//
// Usage: provisioner.js --server URL --ca FILE --cert FILE --key FILE
//        [--interval-ms 300] [--storage-label key=value] [--local-volumes 2]
//        [--local-volume-size 100Gi]
"use strict";

const fs = require("fs");
const https = require("https");
const crypto = require("crypto");

const DRIVERS = new Set(["ebs.csi.aws.com", "efs.csi.aws.com"]);
const NO_PROVISIONER = "kubernetes.io/no-provisioner";
const ZONE = "topology.kubernetes.io/zone";
const HOST = "kubernetes.io/hostname";
const PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
const FOR_NODE = "stateful-stacks.io/local-volume-node";
const LOCAL_PROVISIONER = "stateful-stacks.io/e2e-local-volumes";

function parseArgs(argv) {
    const out = { intervalMs: 300, storageLabel: "stateful-stacks.io/storage=local", localVolumes: 2, localVolumeSize: "100Gi" };
    for (let i = 0; i < argv.length; i += 2) {
        const [k, v] = [argv[i], argv[i + 1]];
        if (v === undefined) throw new Error(`${k}: missing value`);
        if (k === "--server") out.server = new URL(v);
        else if (k === "--ca") out.ca = fs.readFileSync(v);
        else if (k === "--cert") out.cert = fs.readFileSync(v);
        else if (k === "--key") out.key = fs.readFileSync(v);
        else if (k === "--interval-ms") out.intervalMs = Number(v);
        else if (k === "--storage-label") out.storageLabel = v;
        else if (k === "--local-volumes") out.localVolumes = Number(v);
        else if (k === "--local-volume-size") out.localVolumeSize = v;
        else throw new Error(`unknown argument ${k}`);
    }
    for (const k of ["server", "ca", "cert", "key"]) if (!out[k]) throw new Error(`--${k} is required`);
    return out;
}

const opts = parseArgs(process.argv.slice(2));
const agent = new https.Agent({ ca: opts.ca, cert: opts.cert, key: opts.key, keepAlive: true, maxSockets: 4 });

function log(message) {
    process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

function request(method, path, body, contentType = "application/json") {
    return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = https.request(
            {
                agent,
                hostname: opts.server.hostname,
                port: opts.server.port,
                method,
                path,
                timeout: 10_000,
                headers: { accept: "application/json", ...(data ? { "content-type": contentType, "content-length": data.length } : {}) },
            },
            (res) => {
                const chunks = [];
                res.on("data", (c) => chunks.push(c));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    if (res.statusCode >= 200 && res.statusCode < 300) resolve(text ? JSON.parse(text) : {});
                    else {
                        const e = new Error(`${method} ${path}: HTTP ${res.statusCode}: ${text.slice(0, 400)}`);
                        e.status = res.statusCode;
                        reject(e);
                    }
                });
            },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
        req.on("error", reject);
        if (data) req.write(data);
        req.end();
    });
}

const list = async (path) => (await request("GET", path)).items;

/** Kubernetes quantity → bytes (binary and decimal suffixes), for comparing sizes. */
function bytes(quantity) {
    const m = /^([0-9.]+)([KMGTPE]i?|[kmgtpe])?$/.exec(String(quantity ?? "0"));
    if (!m) return 0;
    const power = { k: 1, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };
    const suffix = m[2] ?? "";
    const base = suffix.endsWith("i") ? 1024 : 1000;
    return Number(m[1]) * base ** (suffix ? power[suffix[0]] : 0);
}

function handle(driver, pvc, sc) {
    const hex = crypto.createHash("sha256").update(pvc.metadata.uid).digest("hex");
    if (driver === "efs.csi.aws.com") {
        const fileSystemId = sc.parameters?.fileSystemId ?? "fs-00000000";
        return { volumeHandle: `${fileSystemId}::fsap-${hex.slice(0, 17)}`, volumeAttributes: { "storage.kubernetes.io/csiProvisionerIdentity": "stateful-stacks-e2e" } };
    }
    const fsType = sc.parameters?.["csi.storage.k8s.io/fstype"] ?? sc.parameters?.fsType ?? "ext4";
    return { volumeHandle: `vol-${hex.slice(0, 17)}`, fsType, volumeAttributes: { "storage.kubernetes.io/csiProvisionerIdentity": "stateful-stacks-e2e" } };
}

/** The zone a new EBS volume goes into: the selected node's, else the class's allowed topology, else the first node's. */
function zoneFor(pvc, sc, nodes) {
    const selected = pvc.metadata.annotations?.["volume.kubernetes.io/selected-node"];
    const node = nodes.find((n) => n.metadata.name === selected);
    if (node?.metadata.labels?.[ZONE]) return node.metadata.labels[ZONE];
    for (const term of sc.allowedTopologies ?? []) {
        for (const e of term.matchLabelExpressions ?? []) if (e.key === ZONE && e.values?.length) return e.values[0];
    }
    return nodes.map((n) => n.metadata.labels?.[ZONE]).find(Boolean);
}

async function provision(pvc, sc, nodes) {
    const driver = sc.provisioner;
    const annotations = pvc.metadata.annotations ?? {};
    // The PV controller's decision, not ours: only claims it handed to the driver.
    if (annotations["volume.kubernetes.io/storage-provisioner"] !== driver) return;
    const waitForConsumer = sc.volumeBindingMode === "WaitForFirstConsumer";
    if (waitForConsumer && !annotations["volume.kubernetes.io/selected-node"]) return;
    const restoredFrom = await restoreSource(pvc, sc);
    if (restoredFrom === null) return;
    const pv = {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: `pvc-${pvc.metadata.uid}`, annotations: { [PROVISIONED_BY]: driver, "volume.kubernetes.io/provisioner-deletion-secret-name": "", "volume.kubernetes.io/provisioner-deletion-secret-namespace": "" } },
        spec: {
            accessModes: pvc.spec.accessModes,
            capacity: { storage: pvc.spec.resources.requests.storage },
            claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, resourceVersion: pvc.metadata.resourceVersion },
            csi: { driver, ...handle(driver, pvc, sc) },
            mountOptions: sc.mountOptions,
            persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
            storageClassName: sc.metadata.name,
            ...(pvc.spec.volumeAttributesClassName ? { volumeAttributesClassName: pvc.spec.volumeAttributesClassName } : {}),
            volumeMode: pvc.spec.volumeMode ?? "Filesystem",
        },
    };
    if (restoredFrom) pv.metadata.annotations[RESTORED_FROM] = restoredFrom;
    if (driver === "ebs.csi.aws.com") {
        const zone = zoneFor(pvc, sc, nodes);
        if (zone) pv.spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: "In", values: [zone] }] }] } };
    }
    try {
        await request("POST", "/api/v1/persistentvolumes", pv);
        log(`provisioned ${pv.metadata.name} (${driver}, ${pv.spec.capacity.storage}${pv.spec.nodeAffinity ? `, zone ${pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}` : ""}) for ${pvc.metadata.namespace}/${pvc.metadata.name}`);
    } catch (e) {
        if (e.status !== 409) throw e;
    }
}

/**
 * Local volumes of the no-provisioner classes, the way the local-static-provisioner
 * publishes the disks it finds: every storage node keeps `--local-volumes` unbound
 * PersistentVolumes of `--local-volume-size` per such class, for the scheduler's volume
 * binder to match to a claim (the claim's capacity is then the volume's). A used one is
 * replaced; unbound ones of a class that no longer exists are removed.
 */
async function localPool(classes, nodes, pvs) {
    const [key, value] = opts.storageLabel.split("=");
    const storageNodes = nodes.filter((n) => n.metadata.labels?.[key] === value).map((n) => n.metadata.name).sort();
    const work = [];
    for (const sc of classes.filter((c) => c.provisioner === NO_PROVISIONER)) {
        for (const node of storageNodes) {
            const free = pvs.filter(
                (v) => v.metadata.annotations?.[PROVISIONED_BY] === LOCAL_PROVISIONER && v.metadata.annotations?.[FOR_NODE] === node && v.spec.storageClassName === sc.metadata.name && !v.spec.claimRef,
            );
            for (let i = free.length; i < opts.localVolumes; i++) {
                const id = crypto.randomBytes(4).toString("hex");
                const pv = {
                    apiVersion: "v1",
                    kind: "PersistentVolume",
                    metadata: { name: `local-${node}-${id}`, annotations: { [PROVISIONED_BY]: LOCAL_PROVISIONER, [FOR_NODE]: node } },
                    spec: {
                        accessModes: ["ReadWriteOnce"],
                        capacity: { storage: opts.localVolumeSize },
                        local: { path: `/mnt/stateful-stacks-local/${id}` },
                        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOST, operator: "In", values: [node] }] }] } },
                        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
                        storageClassName: sc.metadata.name,
                        volumeMode: "Filesystem",
                    },
                };
                work.push(request("POST", "/api/v1/persistentvolumes", pv).then(() => log(`published local volume ${pv.metadata.name} (${sc.metadata.name}, ${opts.localVolumeSize}) on ${node}`)));
            }
        }
    }
    const names = new Set(classes.map((c) => c.metadata.name));
    for (const v of pvs) {
        if (v.metadata.annotations?.[PROVISIONED_BY] === LOCAL_PROVISIONER && !v.spec.claimRef && !names.has(v.spec.storageClassName) && !v.metadata.deletionTimestamp) {
            work.push(request("DELETE", `/api/v1/persistentvolumes/${v.metadata.name}`).then(() => log(`removed unbound local volume ${v.metadata.name} (class ${v.spec.storageClassName} is gone)`)));
        }
    }
    return work;
}

async function reclaim(pv) {
    const by = pv.metadata.annotations?.[PROVISIONED_BY];
    if (!DRIVERS.has(by) && by !== LOCAL_PROVISIONER) return;
    if (pv.spec.persistentVolumeReclaimPolicy !== "Delete") return;
    if (!["Released", "Failed"].includes(pv.status?.phase)) return;
    if (pv.metadata.deletionTimestamp) return;
    await request("DELETE", `/api/v1/persistentvolumes/${pv.metadata.name}`);
    log(`deleted ${pv.metadata.name} (reclaim policy Delete, was bound to ${pv.spec.claimRef?.namespace}/${pv.spec.claimRef?.name})`);
}

async function expand(pvc, sc, pvs) {
    if (!sc.allowVolumeExpansion) return;
    const wanted = pvc.spec.resources?.requests?.storage;
    const have = pvc.status?.capacity?.storage;
    if (!wanted || !have || bytes(wanted) <= bytes(have)) return;
    const pv = pvs.find((v) => v.metadata.name === pvc.spec.volumeName);
    if (!pv) return;
    const by = pv.metadata.annotations?.[PROVISIONED_BY];
    if (!DRIVERS.has(by)) return;
    // Like the external-resizer: a claim whose volume is of this driver (the expand
    // controller leaves CSI volumes to it, with an ExternalExpanding event).
    if (bytes(pv.spec.capacity.storage) < bytes(wanted)) {
        await request("PATCH", `/api/v1/persistentvolumes/${pv.metadata.name}`, { spec: { capacity: { storage: wanted } } }, "application/merge-patch+json");
    }
    await request(
        "PATCH",
        `/api/v1/namespaces/${pvc.metadata.namespace}/persistentvolumeclaims/${pvc.metadata.name}/status`,
        { status: { capacity: { storage: wanted }, allocatedResources: { storage: wanted }, allocatedResourceStatuses: null, conditions: null } },
        "application/merge-patch+json",
    );
    log(`expanded ${pv.metadata.name} and ${pvc.metadata.namespace}/${pvc.metadata.name}: ${have} → ${wanted}`);
}

/** The modify status of a claim whose class cannot be applied yet (or at all), as the external-resizer reports it. */
function modifyBlocked(pvc, vac, pv) {
    if (!vac) return "Pending";
    if (vac.driverName !== pv.spec.csi?.driver) return "Infeasible";
    return undefined;
}

/**
 * ControllerModifyVolume, the way the external-resizer drives it: one claim moves to the
 * VolumeAttributesClass its spec names, in two rounds (InProgress, then done), so that
 * the in-between state can be seen. Nothing is modified anywhere: the "volume" takes the
 * class's parameters by being labelled with the class.
 */
async function modify(pvc, vacs, pvs) {
    const target = pvc.spec.volumeAttributesClassName;
    if (!target || target === pvc.status?.currentVolumeAttributesClassName) return;
    const pv = pvs.find((v) => v.metadata.name === pvc.spec.volumeName);
    if (!pv || !DRIVERS.has(pv.metadata.annotations?.[PROVISIONED_BY])) return;
    const statusPath = `/api/v1/namespaces/${pvc.metadata.namespace}/persistentvolumeclaims/${pvc.metadata.name}/status`;
    const current = pvc.status?.modifyVolumeStatus;
    const blocked = modifyBlocked(pvc, vacs.get(target), pv);
    const wanted = blocked ?? "InProgress";
    if (current?.targetVolumeAttributesClassName !== target || current?.status !== "InProgress" || blocked) {
        if (current?.targetVolumeAttributesClassName === target && current?.status === wanted) return;
        await request("PATCH", statusPath, { status: { modifyVolumeStatus: { status: wanted, targetVolumeAttributesClassName: target } } }, "application/merge-patch+json");
        log(`modify ${pvc.metadata.namespace}/${pvc.metadata.name}: ${wanted} → ${target}`);
        return;
    }
    if (pv.spec.volumeAttributesClassName !== target) {
        await request("PATCH", `/api/v1/persistentvolumes/${pv.metadata.name}`, { spec: { volumeAttributesClassName: target } }, "application/merge-patch+json");
    }
    await request("PATCH", statusPath, { status: { currentVolumeAttributesClassName: target, modifyVolumeStatus: null } }, "application/merge-patch+json");
    log(`modified ${pv.metadata.name} of ${pvc.metadata.namespace}/${pvc.metadata.name}: ${pvc.status?.currentVolumeAttributesClassName ?? "no class"} → ${target} (${JSON.stringify(vacs.get(target).parameters ?? {})})`);
}

// --- Snapshots: the csi-snapshotter sidecar and the driver's snapshot calls. ---

const SNAPSHOTS = "/apis/snapshot.storage.k8s.io/v1";
const BEING_CREATED = "snapshot.storage.kubernetes.io/volumesnapshot-being-created";
const CONTENT_FINALIZER = "snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection";
const RESTORED_FROM = "stateful-stacks.io/e2e-restored-from";

/** The contents the sidecar acts on: new ones get a snapshot, deleted ones lose their finalizer. */
async function snapshotWork(pvs) {
    let contents;
    try {
        contents = await list(`${SNAPSHOTS}/volumesnapshotcontents`);
    } catch (e) {
        if (e.status === 404) return []; // no snapshot CRDs in this cluster
        throw e;
    }
    const work = [];
    for (const content of contents) {
        if (!DRIVERS.has(content.spec?.driver)) continue;
        if (content.metadata.deletionTimestamp) {
            if ((content.metadata.finalizers ?? []).includes(CONTENT_FINALIZER)) work.push(releaseContent(content));
        } else if (!content.status?.snapshotHandle) {
            work.push(takeSnapshot(content, pvs));
        }
    }
    return work;
}

async function takeSnapshot(content, pvs) {
    const source = content.spec.source ?? {};
    let status;
    if (source.snapshotHandle) {
        status = { snapshotHandle: source.snapshotHandle, readyToUse: true };
    } else {
        const pv = pvs.find((v) => v.spec.csi?.volumeHandle === source.volumeHandle && v.spec.csi?.driver === content.spec.driver);
        if (!pv) return; // the volume is unknown: the real driver would fail CreateSnapshot
        const hex = crypto.createHash("sha256").update(`${source.volumeHandle}/${content.metadata.uid}`).digest("hex");
        status = { snapshotHandle: `snap-${hex.slice(0, 17)}`, readyToUse: true, restoreSize: bytes(pv.spec.capacity.storage), creationTime: Date.now() * 1_000_000 };
    }
    await request("PATCH", `${SNAPSHOTS}/volumesnapshotcontents/${content.metadata.name}/status`, { status }, "application/merge-patch+json");
    if (content.metadata.annotations?.[BEING_CREATED] !== undefined) {
        await request("PATCH", `${SNAPSHOTS}/volumesnapshotcontents/${content.metadata.name}`, { metadata: { annotations: { [BEING_CREATED]: null } } }, "application/merge-patch+json");
    }
    log(`snapshot ${status.snapshotHandle} of ${source.volumeHandle ?? "(pre-provisioned)"} ready for ${content.metadata.name} (${content.spec.volumeSnapshotRef?.namespace}/${content.spec.volumeSnapshotRef?.name})`);
}

async function releaseContent(content) {
    const finalizers = (content.metadata.finalizers ?? []).filter((f) => f !== CONTENT_FINALIZER);
    await request("PATCH", `${SNAPSHOTS}/volumesnapshotcontents/${content.metadata.name}`, { metadata: { finalizers, resourceVersion: content.metadata.resourceVersion } }, "application/merge-patch+json");
    log(`released ${content.metadata.name} (deletionPolicy ${content.spec.deletionPolicy}${content.spec.deletionPolicy === "Delete" ? `: snapshot ${content.status?.snapshotHandle} deleted` : ""})`);
}

/**
 * The source of a claim with a data source, as the external-provisioner checks it:
 * undefined for none, null while it cannot be provisioned yet (the claim stays Pending),
 * else the text the PersistentVolume records.
 */
const restoreWaits = new Map();
async function restoreSource(pvc, sc) {
    const ref = pvc.spec.dataSourceRef ?? pvc.spec.dataSource;
    if (!ref) return undefined;
    const ns = pvc.metadata.namespace;
    const wanted = bytes(pvc.spec.resources.requests.storage);
    const wait = (why) => {
        const key = `${ns}/${pvc.metadata.name}`;
        if (restoreWaits.get(key) !== why) log(`waiting: ${key}: ${why}`);
        restoreWaits.set(key, why);
        return null;
    };
    const get = (path) => request("GET", path).catch((e) => (e.status === 404 ? undefined : Promise.reject(e)));
    if (ref.kind === "VolumeSnapshot" && ref.apiGroup === "snapshot.storage.k8s.io") {
        const snapshot = await get(`${SNAPSHOTS}/namespaces/${ref.namespace ?? ns}/volumesnapshots/${ref.name}`);
        if (!snapshot?.status?.readyToUse || !snapshot.status.boundVolumeSnapshotContentName) return wait(`VolumeSnapshot ${ref.name} is not readyToUse`);
        const content = await get(`${SNAPSHOTS}/volumesnapshotcontents/${snapshot.status.boundVolumeSnapshotContentName}`);
        if (!content?.status?.snapshotHandle) return wait(`VolumeSnapshotContent ${snapshot.status.boundVolumeSnapshotContentName} has no snapshot handle`);
        if (content.spec.driver !== sc.provisioner) return wait(`snapshot ${ref.name} is of ${content.spec.driver}, the class provisions with ${sc.provisioner}`);
        if (wanted < Number(content.status.restoreSize ?? 0)) return wait(`requests ${pvc.spec.resources.requests.storage}, less than the snapshot's restoreSize ${content.status.restoreSize} bytes`);
        return `snapshot/${content.status.snapshotHandle}`;
    }
    if (ref.kind === "PersistentVolumeClaim" && !ref.apiGroup) {
        const source = await get(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${ref.name}`);
        if (source?.status?.phase !== "Bound") return wait(`claim ${ref.name} to clone is not Bound`);
        if (source.spec.storageClassName !== pvc.spec.storageClassName) return wait(`claim ${ref.name} is of class ${source.spec.storageClassName}, a clone needs the same class`);
        if (wanted < bytes(source.status.capacity?.storage)) return wait(`requests less than claim ${ref.name}'s capacity ${source.status.capacity?.storage}`);
        const pv = await get(`/api/v1/persistentvolumes/${source.spec.volumeName}`);
        return `clone/${pv?.spec?.csi?.volumeHandle ?? source.spec.volumeName}`;
    }
    return wait(`data source ${ref.apiGroup ?? ""}/${ref.kind} is not one the driver restores from`);
}

let lastError = "";
async function tick() {
    const [classes, nodes, pvs, pvcs, attributeClasses] = await Promise.all([
        list("/apis/storage.k8s.io/v1/storageclasses"),
        list("/api/v1/nodes"),
        list("/api/v1/persistentvolumes"),
        list("/api/v1/persistentvolumeclaims"),
        // Served from Kubernetes 1.34 on; an older API server has none (404).
        list("/apis/storage.k8s.io/v1/volumeattributesclasses").catch((e) => (e.status === 404 ? [] : Promise.reject(e))),
    ]);
    const byName = new Map(classes.map((c) => [c.metadata.name, c]));
    const vacs = new Map(attributeClasses.map((c) => [c.metadata.name, c]));
    const work = [];
    for (const pvc of pvcs) {
        const sc = byName.get(pvc.spec.storageClassName ?? "");
        if (!sc || pvc.metadata.deletionTimestamp) continue;
        if (pvc.status?.phase === "Pending" && !pvc.spec.volumeName) {
            if (DRIVERS.has(sc.provisioner)) {
                const vacName = pvc.spec.volumeAttributesClassName;
                const vacReady = !vacName || vacs.get(vacName)?.driverName === sc.provisioner;
                if (vacReady && !pvs.some((v) => v.spec.claimRef?.uid === pvc.metadata.uid)) work.push(provision(pvc, sc, nodes));
            }
        } else if (pvc.status?.phase === "Bound") {
            work.push(expand(pvc, sc, pvs));
            work.push(modify(pvc, vacs, pvs));
        }
    }
    for (const pv of pvs) work.push(reclaim(pv));
    work.push(...(await snapshotWork(pvs)));
    work.push(...(await localPool(classes, nodes, pvs)));
    const results = await Promise.allSettled(work);
    for (const r of results) if (r.status === "rejected") log(`error: ${r.reason.message}`);
}

async function registerDrivers() {
    // What the drivers' installation registers. attachRequired false: no attacher plays
    // the attach step (the pods run on kwok nodes, nothing is mounted).
    for (const name of DRIVERS) {
        const driver = { apiVersion: "storage.k8s.io/v1", kind: "CSIDriver", metadata: { name }, spec: { attachRequired: false, podInfoOnMount: false, volumeLifecycleModes: ["Persistent"] } };
        try {
            await request("POST", "/apis/storage.k8s.io/v1/csidrivers", driver);
            log(`registered CSIDriver ${name}`);
        } catch (e) {
            if (e.status !== 409) throw e;
        }
    }
}

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => { stopping = true; log(`${signal}: stopping`); process.exit(0); });

(async () => {
    log(`provisioner for ${[...DRIVERS].join(", ")} and ${NO_PROVISIONER} (nodes labelled ${opts.storageLabel}) on ${opts.server.origin}, every ${opts.intervalMs} ms`);
    let registered = false;
    while (!stopping) {
        try {
            if (!registered) {
                await registerDrivers();
                registered = true;
            }
            await tick();
            if (lastError) log("API server reachable again");
            lastError = "";
        } catch (e) {
            // The API server may be restarted (the tier's fault cases do): keep polling.
            if (e.message !== lastError) log(`error: ${e.message}`);
            lastError = e.message;
        }
        await new Promise((r) => setTimeout(r, opts.intervalMs));
    }
})();
