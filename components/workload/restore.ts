import * as pulumi from "@pulumi/pulumi";
import { checkList, checkObject, isPlainObject } from "../common/checks";
import { checkLabel, checkStorageSize, checkSubdomain, parseQuantity, sortKeys, standardLabels } from "../common/kubernetes";
import { ProblemList } from "../common/validation";
import { checkSnapshots } from "./snapshot-schedule";

/**
 * Where one volume's claims are restored from, ordinal by ordinal: each claim
 * `<volume>-<statefulSet>-<i>` is created before the StatefulSet, with a `dataSourceRef`
 * to `snapshots[i]` (a VolumeSnapshot in the workload's namespace) or `claims[i]` (a claim
 * there to clone, of the same StorageClass), and the StatefulSet adopts it instead of
 * creating an empty one.
 *
 * The claims hold data: they are kept through `pulumi destroy` (retainOnDelete) and the
 * source is read only when a claim is created. Changing or removing `restoreFrom` later
 * changes nothing on the claims (the engine ignores `dataSourceRef` after creation); to
 * restore again, delete the workload and its claims first. A claim of that name that
 * already exists is not overwritten: the create fails ("already exists").
 */
export interface WorkloadRestore {
    /** The volume (a `volumes[].name`) whose claims are created from the sources. */
    readonly volume: string;
    /** One VolumeSnapshot name per ordinal (DNS-1123 subdomains), as many as `replicas`. Not with `claims`. */
    readonly snapshots?: string[];
    /** One claim name per ordinal to clone (DNS-1123 subdomains), as many as `replicas`. Not with `snapshots`. */
    readonly claims?: string[];
    /**
     * The sources' size when known (the snapshots' `restoreSize`, the cloned claims'
     * capacity), a Kubernetes quantity: the volume's `size` must not be smaller (a CSI
     * driver refuses a restore into a smaller volume).
     * @default not checked
     */
    readonly sourceSize?: string;
}

/** The annotation on a restored claim naming its source (`VolumeSnapshot/<name>` or `PersistentVolumeClaim/<name>`). */
export const RESTORED_FROM_ANNOTATION = "stateful-stacks.io/restored-from";

const RESTORE_KEYS = ["volume", "snapshots", "claims", "sourceSize"];

/** The workload facts the restore checks need. */
export interface RestoreContext {
    /** The StatefulSet name, when valid. */
    readonly statefulSetName?: string;
    /** Replicas, when valid. */
    readonly replicas?: number;
    /** Name → size of each valid volume. */
    readonly volumes: ReadonlyMap<string, string | undefined>;
}

/** Checks `restoreFrom` of a StatefulWorkload; every problem is added to `problems`. */
export function checkRestoreFrom(problems: ProblemList, value: unknown, context: RestoreContext): void {
    const seen = new Set<string>();
    checkList(
        problems,
        "restoreFrom",
        value,
        (path, entry) => {
            if (!checkObject(problems, path, entry, RESTORE_KEYS, "must be { volume, snapshots? | claims?, sourceSize? }")) {
                return;
            }
            if (entry.volume === undefined) {
                problems.add(`${path}.volume`, undefined, "is required: the volume whose claims are restored");
            } else if (checkLabel(problems, `${path}.volume`, entry.volume)) {
                if (!context.volumes.has(entry.volume)) {
                    const names = [...context.volumes.keys()];
                    problems.add(`${path}.volume`, entry.volume, names.length ? `must name one of the workload's volumes (${names.join(", ")})` : "must name one of the workload's volumes, and it has none");
                } else if (seen.has(entry.volume)) {
                    problems.add(`${path}.volume`, entry.volume, "must not repeat a volume restored before");
                }
                seen.add(entry.volume);
            }
            const given = ["snapshots", "claims"].filter((k) => entry[k] !== undefined);
            if (given.length !== 1) {
                problems.add(path, entry, given.length ? "cannot combine snapshots and claims: each volume is restored from one kind of source" : "needs snapshots (VolumeSnapshot names) or claims (claim names to clone), one per ordinal");
            }
            for (const kind of given) {
                const list = entry[kind];
                const listPath = `${path}.${kind}`;
                const isList = checkList(problems, listPath, list, (itemPath, source, i) => {
                    if (!checkSubdomain(problems, itemPath, source)) {
                        return;
                    }
                    const own = typeof entry.volume === "string" && context.statefulSetName !== undefined ? `${entry.volume}-${context.statefulSetName}-${i}` : undefined;
                    if (kind === "claims" && source === own) {
                        problems.add(itemPath, source, "must not be the claim being restored (a claim cannot be cloned from itself)");
                    }
                }, { expected: `must be a list of ${kind === "snapshots" ? "VolumeSnapshot" : "claim"} names, one per ordinal` });
                if (isList && context.replicas !== undefined && (list as unknown[]).length !== context.replicas) {
                    problems.add(listPath, list, `must have one name per ordinal: ${context.replicas} (replicas)`);
                }
                if (isList && new Set(list as unknown[]).size !== (list as unknown[]).length) {
                    problems.add(listPath, list, "must not repeat a source: each ordinal gets its own copy of the data");
                }
            }
            if (entry.sourceSize !== undefined) {
                const bytes = checkStorageSize(problems, `${path}.sourceSize`, entry.sourceSize);
                const size = typeof entry.volume === "string" ? context.volumes.get(entry.volume) : undefined;
                const volumeBytes = size === undefined ? undefined : parseQuantity(size);
                if (bytes !== undefined && volumeBytes !== undefined && volumeBytes < bytes) {
                    problems.add(
                        `${path}.sourceSize`,
                        entry.sourceSize,
                        `must not be larger than the volume's size (${size}): a volume is restored at least at its source's size; raise volumes[].size to ${String(entry.sourceSize)} or more`,
                    );
                }
            }
        },
        { expected: "must be a list of { volume, snapshots? | claims?, sourceSize? }" },
    );
}

/** What a restored claim copies from its volume template. */
export interface RestoreVolume {
    readonly name: string;
    readonly size: string;
    readonly accessModes?: readonly string[];
}

/** One pre-created claim: its ordinal and the `PersistentVolumeClaim` args. */
export interface RestoredClaim {
    readonly volume: string;
    readonly ordinal: number;
    readonly claimName: string;
    readonly args: Record<string, unknown>;
}

/**
 * The claims `restoreFrom` pre-creates, volume by volume and ordinal by ordinal: the
 * template's size, class, VolumeAttributesClass and access modes, the workload's labels,
 * and a `dataSourceRef`. The attributes class is set at creation: a claim that is not bound
 * yet (WaitForFirstConsumer) refuses it later, so its claim patch could not add it.
 */
export function buildRestoredClaims(
    statefulSetName: string,
    namespace: pulumi.Input<string>,
    restoreFrom: readonly WorkloadRestore[],
    volumes: readonly RestoreVolume[],
    storageClassName: (volume: string) => pulumi.Input<string> | undefined,
    labels: Record<string, string> = standardLabels(statefulSetName, "stateful-workload"),
    annotations: Record<string, string> = {},
    volumeAttributesClassName: (volume: string) => pulumi.Input<string> | undefined = () => undefined,
): RestoredClaim[] {
    return restoreFrom.flatMap((restore) => {
        const volume = volumes.find((v) => v.name === restore.volume)!;
        const sources = restore.snapshots ?? restore.claims ?? [];
        const kind = restore.snapshots !== undefined ? "VolumeSnapshot" : "PersistentVolumeClaim";
        return sources.map((source, ordinal) => {
            const claimName = `${volume.name}-${statefulSetName}-${ordinal}`;
            const dataSourceRef = kind === "VolumeSnapshot" ? { apiGroup: "snapshot.storage.k8s.io", kind, name: source } : { kind, name: source };
            return {
                args: sortKeys({
                    metadata: { annotations: { ...annotations, [RESTORED_FROM_ANNOTATION]: `${kind}/${source}` }, labels, name: claimName, namespace },
                    spec: {
                        accessModes: [...(volume.accessModes ?? ["ReadWriteOnce"])],
                        dataSourceRef,
                        resources: { requests: { storage: volume.size } },
                        storageClassName: storageClassName(volume.name),
                        ...(volumeAttributesClassName(volume.name) === undefined ? {} : { volumeAttributesClassName: volumeAttributesClassName(volume.name) }),
                    },
                }),
                claimName,
                ordinal,
                volume: volume.name,
            };
        });
    });
}

/**
 * Checks `snapshots` and `restoreFrom` of a StatefulWorkload against its volumes, its
 * StatefulSet name and replicas (each given when valid).
 */
export function checkSnapshotsAndRestore(
    problems: ProblemList,
    raw: Record<string, unknown>,
    context: { readonly statefulSetName?: string; readonly replicas?: number },
): void {
    const volumes = new Map<string, string | undefined>();
    if (Array.isArray(raw.volumes)) {
        for (const volume of raw.volumes as unknown[]) {
            if (isPlainObject(volume) && typeof volume.name === "string" && !volumes.has(volume.name)) {
                volumes.set(volume.name, typeof volume.size === "string" ? volume.size : undefined);
            }
        }
    }
    checkSnapshots(problems, raw.snapshots, { statefulSetName: context.statefulSetName, volumeNames: [...volumes.keys()] });
    checkRestoreFrom(problems, raw.restoreFrom, { ...context, volumes });
}
