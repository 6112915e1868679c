import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkBoolean, checkImage, checkInteger, checkList, checkObject } from "../common/checks";
import { checkLabel, checkSubdomain, sortKeys, standardLabels } from "../common/kubernetes";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../common/pod-security";
import { ProblemList } from "../common/validation";

/**
 * A VolumeSnapshotClass as a workload sees it: `EbsStorageClass` created with `snapshots`
 * is one (its `volumeSnapshotClassName` and `snapshotClass`).
 */
export interface VolumeSnapshotClassSource {
    /** The VolumeSnapshotClass's name; undefined on an `EbsStorageClass` without `snapshots`. */
    readonly volumeSnapshotClassName?: pulumi.Output<string>;
    /** The VolumeSnapshotClass object: the CronJob waits until it exists. */
    readonly snapshotClass?: pulumi.Resource;
}

/**
 * VolumeSnapshots of a StatefulWorkload's claims on a schedule, with a retention count.
 *
 * A CronJob `<statefulSetName>-snapshots` runs a POSIX sh script (curl, no kubectl) under
 * its own ServiceAccount: for every claim `<volume>-<statefulSet>-<ordinal>` that exists
 * and is Bound it creates a VolumeSnapshot `<claim>-<UTC yyyymmddhhmmss>`, labelled with
 * the StatefulSet, volume and ordinal; once every new snapshot is `readyToUse` it deletes
 * the oldest of that claim beyond `keep`. A snapshot that does not become ready fails the
 * run and nothing is pruned. The Role lets the job create, get, list and delete
 * VolumeSnapshots in the namespace and get exactly those claims; a
 * ValidatingAdmissionPolicy (Kubernetes ≥ 1.30) refuses the ServiceAccount any snapshot
 * without the workload's labels, of another claim, or any delete of a snapshot it did not
 * label. Needs the snapshot CRDs, the snapshot-controller and a CSI driver with snapshot
 * support (the EBS CSI driver's csi-snapshotter sidecar).
 *
 * Deleting a VolumeSnapshot deletes the cloud snapshot only when the class's
 * `deletionPolicy` is "Delete"; with "Retain" (the EbsStorageClass default) pruning removes
 * the Kubernetes objects and the EBS snapshots stay (and are billed) until removed in AWS.
 */
export interface WorkloadSnapshots {
    /**
     * When to take snapshots: a cron schedule of five fields ("0 2 * * *") or one of
     * `@hourly`, `@daily`, `@midnight`, `@weekly`, `@monthly`, `@yearly`, `@annually`.
     */
    readonly schedule: string;
    /**
     * The VolumeSnapshotClass: an `EbsStorageClass` created with `snapshots` (its class),
     * another {@link VolumeSnapshotClassSource}, or a class name (a DNS-1123 subdomain).
     */
    readonly volumeSnapshotClass: VolumeSnapshotClassSource | string;
    /** Snapshots kept per claim (the newest), an integer from 1 to 1000. @default 7 */
    readonly keep?: number;
    /** The volumes (`volumes[].name`) whose claims are snapshotted. @default every volume */
    readonly volumes?: string[];
    /**
     * The job's image: it needs `sh`, `curl`, `grep`, `sed`, `sort`, `awk` and `date`.
     * Pin a tag (or a digest).
     * @default "curlimages/curl:8.11.1"
     */
    readonly image?: string;
    /** IANA time zone of the schedule ("Europe/Berlin"). @default the controller manager's (UTC on EKS) */
    readonly timeZone?: string;
    /** Seconds a run waits for its snapshots to become `readyToUse` before it fails (nothing pruned), 10 to 86400. @default 900 */
    readonly readyTimeoutSeconds?: number;
    /** Create the CronJob suspended (no runs until it is unsuspended). @default false */
    readonly suspend?: boolean;
}

/** The snapshot job's image when none is given: curl on Alpine's busybox. */
export const DEFAULT_SNAPSHOT_IMAGE = "curlimages/curl:8.11.1";
/** Snapshots kept per claim when `keep` is not given. */
export const DEFAULT_SNAPSHOT_KEEP = 7;
/** Most snapshots kept per claim. */
export const MAX_SNAPSHOT_KEEP = 1000;
/** Seconds a run waits for readiness when `readyTimeoutSeconds` is not given. */
export const DEFAULT_SNAPSHOT_READY_TIMEOUT = 900;
/** Longest StatefulSet name with snapshots: the CronJob `<name>-snapshots` must fit in 52 characters. */
export const MAX_SNAPSHOT_STATEFUL_SET_NAME = 42;

/** Labels every scheduled snapshot carries: which workload, volume and ordinal it is of. */
export const SNAPSHOT_LABELS = {
    statefulSet: "stateful-stacks.io/snapshot-of",
    volume: "stateful-stacks.io/snapshot-volume",
    ordinal: "stateful-stacks.io/snapshot-ordinal",
} as const;

const SNAPSHOT_KEYS = ["schedule", "volumeSnapshotClass", "keep", "volumes", "image", "timeZone", "readyTimeoutSeconds", "suspend"];
const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
const CRON_FIELD = /^[0-9A-Za-z*?,/-]+$/;
const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;
const EXPECT_CLASS = "must be an EbsStorageClass created with snapshots, another { volumeSnapshotClassName, snapshotClass } source, or a VolumeSnapshotClass name";

/** True for a cron schedule the CronJob controller accepts in shape: five fields or a macro. */
export function isCronSchedule(value: unknown): value is string {
    if (typeof value !== "string") {
        return false;
    }
    if (CRON_MACROS.includes(value)) {
        return true;
    }
    const fields = value.split(" ");
    return fields.length === 5 && fields.every((f) => CRON_FIELD.test(f));
}

/** A component as a refusal shows it: its class and name (`EbsStorageClass no-snapshots`). */
function componentText(resource: pulumi.Resource): string {
    const name = (resource as unknown as { __name?: unknown }).__name;
    return `${resource.constructor.name}${typeof name === "string" ? ` ${name}` : ""}`;
}

/** The StatefulWorkload facts the snapshot checks need. */
export interface SnapshotContext {
    /** The StatefulSet name, when valid. */
    readonly statefulSetName?: string;
    /** The names of the workload's volumes. */
    readonly volumeNames: readonly string[];
}

/** Checks `snapshots` of a StatefulWorkload; every problem is added to `problems`. */
export function checkSnapshots(problems: ProblemList, value: unknown, context: SnapshotContext): void {
    if (!checkObject(problems, "snapshots", value, SNAPSHOT_KEYS, "must be { schedule, volumeSnapshotClass, keep?, volumes?, image?, timeZone?, readyTimeoutSeconds?, suspend? }")) {
        return;
    }
    if (value.schedule === undefined) {
        problems.add("snapshots.schedule", undefined, 'is required: a cron schedule such as "0 2 * * *"');
    } else if (!isCronSchedule(value.schedule)) {
        problems.add(
            "snapshots.schedule",
            value.schedule,
            `must be a cron schedule of five fields separated by single spaces ("0 2 * * *") or one of ${CRON_MACROS.join(", ")}; set a time zone with snapshots.timeZone, not in the schedule`,
        );
    }
    const source = value.volumeSnapshotClass;
    if (source === undefined) {
        problems.add("snapshots.volumeSnapshotClass", undefined, "is required: the VolumeSnapshotClass the snapshots are taken with");
    } else if (typeof source === "string") {
        checkSubdomain(problems, "snapshots.volumeSnapshotClass", source);
    } else if (source !== null && typeof source === "object" && pulumi.Output.isInstance((source as VolumeSnapshotClassSource).volumeSnapshotClassName)) {
        // A class component with its snapshot class: nothing more to check.
    } else if (pulumi.Resource.isInstance(source)) {
        problems.add("snapshots.volumeSnapshotClass", componentText(source), "must have a VolumeSnapshotClass: create the EbsStorageClass with snapshots: true, or name a class");
    } else {
        problems.add("snapshots.volumeSnapshotClass", source, EXPECT_CLASS);
    }
    checkInteger(problems, "snapshots.keep", value.keep, { min: 1, max: MAX_SNAPSHOT_KEEP });
    checkList(
        problems,
        "snapshots.volumes",
        value.volumes,
        (path, volume) => {
            if (!checkLabel(problems, path, volume)) {
                return;
            }
            if (!context.volumeNames.includes(volume)) {
                problems.add(path, volume, context.volumeNames.length ? `must name one of the workload's volumes (${context.volumeNames.join(", ")})` : "must name one of the workload's volumes, and it has none");
            } else if ((value.volumes as unknown[]).indexOf(volume) !== Number(path.slice(path.lastIndexOf("[") + 1, -1))) {
                problems.add(path, volume, "must not repeat a volume listed before");
            }
        },
        { minLength: 1, expected: "must be a list of volume names" },
    );
    if (value.volumes === undefined && context.volumeNames.length === 0) {
        problems.add("snapshots", value, "needs volumes: the workload has none to snapshot");
    }
    if (value.image !== undefined) {
        checkImage(problems, "snapshots.image", value.image);
        if (typeof value.image === "string" && !/[:@]/.test(value.image.slice(value.image.lastIndexOf("/") + 1))) {
            problems.add("snapshots.image", value.image, 'must pin a tag or a digest ("curlimages/curl:8.11.1"): an untagged image is "latest" and changes under the job');
        } else if (typeof value.image === "string" && value.image.endsWith(":latest")) {
            problems.add("snapshots.image", value.image, 'must pin a tag other than "latest" (or a digest)');
        }
    }
    if (value.timeZone !== undefined && (typeof value.timeZone !== "string" || value.timeZone.length > 64 || !TIME_ZONE.test(value.timeZone))) {
        problems.add("snapshots.timeZone", value.timeZone, 'must be an IANA time zone name such as "UTC" or "Europe/Berlin"');
    }
    checkInteger(problems, "snapshots.readyTimeoutSeconds", value.readyTimeoutSeconds, { min: 10, max: 86400 });
    checkBoolean(problems, "snapshots.suspend", value.suspend);
    if (context.statefulSetName !== undefined && context.statefulSetName.length > MAX_SNAPSHOT_STATEFUL_SET_NAME) {
        problems.add(
            "statefulSetName",
            context.statefulSetName,
            `must be at most ${MAX_SNAPSHOT_STATEFUL_SET_NAME} characters with snapshots: the CronJob "<statefulSetName>-snapshots" must fit in 52`,
        );
    }
}

/**
 * The job's script, POSIX sh with curl (no kubectl, no jq). Reads its settings from the
 * environment (`STATEFUL_SET`, `VOLUMES`, `REPLICAS`, `KEEP`, `SNAPSHOT_CLASS`,
 * `READY_TIMEOUT`), its namespace, token and CA from the ServiceAccount directory
 * (`SERVICE_ACCOUNT_DIR`, default the mounted token's), and the API server from
 * `KUBERNETES_API` (default `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`).
 * The token goes to curl on stdin (a config line), never on its command line.
 */
export const SNAPSHOT_SCRIPT = `set -eu
sa=\${SERVICE_ACCOUNT_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}
api=\${KUBERNETES_API:-https://\${KUBERNETES_SERVICE_HOST}:\${KUBERNETES_SERVICE_PORT}}
ns=$(cat "$sa/namespace")
snapshots="$api/apis/snapshot.storage.k8s.io/v1/namespaces/$ns/volumesnapshots"
k() {
  printf 'header = "Authorization: Bearer %s"\\n' "$(cat "$sa/token")" |
    curl -sS --fail --cacert "$sa/ca.crt" -H 'Accept: application/json' -K - "$@"
}
stamp=$(date -u +%Y%m%d%H%M%S)
created=""
for volume in $VOLUMES; do
  i=0
  while [ "$i" -lt "$REPLICAS" ]; do
    claim="$volume-$STATEFUL_SET-$i"
    if ! state=$(k "$api/api/v1/namespaces/$ns/persistentvolumeclaims/$claim" 2>/dev/null); then
      echo "skip $claim: no such claim"
    elif ! printf '%s' "$state" | grep -q '"phase": *"Bound"'; then
      echo "skip $claim: not Bound"
    else
      name="$claim-$stamp"
      k -X POST -H 'Content-Type: application/json' "$snapshots" --data-binary "$(printf '{"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshot","metadata":{"name":"%s","labels":{"${SNAPSHOT_LABELS.statefulSet}":"%s","${SNAPSHOT_LABELS.volume}":"%s","${SNAPSHOT_LABELS.ordinal}":"%s"}},"spec":{"volumeSnapshotClassName":"%s","source":{"persistentVolumeClaimName":"%s"}}}' "$name" "$STATEFUL_SET" "$volume" "$i" "$SNAPSHOT_CLASS" "$claim")" >/dev/null
      echo "created $name"
      created="$created $volume:$i"
    fi
    i=$((i + 1))
  done
done
waited=0
for entry in $created; do
  name="\${entry%%:*}-$STATEFUL_SET-\${entry#*:}-$stamp"
  until k "$snapshots/$name" | grep -q '"readyToUse": *true'; do
    if [ "$waited" -ge "$READY_TIMEOUT" ]; then
      echo "$name is not readyToUse after \${READY_TIMEOUT}s: nothing pruned" >&2
      exit 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
  echo "ready $name"
done
for entry in $created; do
  volume=\${entry%%:*}
  i=\${entry#*:}
  claim="$volume-$STATEFUL_SET-$i"
  k "$snapshots?labelSelector=${SNAPSHOT_LABELS.statefulSet}%3D$STATEFUL_SET,${SNAPSHOT_LABELS.volume}%3D$volume,${SNAPSHOT_LABELS.ordinal}%3D$i" |
    grep -o '"name": *"[^"]*"' | sed 's/^"name": *"//; s/"$//' | grep "^$claim-[0-9]\\{14\\}\$" | sort -r |
    awk -v keep="$KEEP" 'NR > keep' | while read -r old; do
      k -X DELETE "$snapshots/$old" >/dev/null
      echo "deleted $old"
    done
done
`;

/** The snapshot settings with defaults applied. */
export interface ResolvedSnapshots {
    readonly name: string;
    readonly schedule: string;
    readonly keep: number;
    readonly volumes: readonly string[];
    readonly image: string;
    readonly timeZone?: string;
    readonly readyTimeoutSeconds: number;
    readonly suspend: boolean;
    /** The class name: a plain name, or the source's Output. */
    readonly className: pulumi.Input<string>;
    /** The VolumeSnapshotClass object to wait for, when a component gave it. */
    readonly classResource?: pulumi.Resource;
}

/** `snapshots` with its defaults applied, for valid arguments; undefined when there are none. */
export function resolveSnapshots(statefulSetName: string, snapshots: WorkloadSnapshots | undefined, volumeNames: readonly string[]): ResolvedSnapshots | undefined {
    if (snapshots === undefined) {
        return undefined;
    }
    const source = snapshots.volumeSnapshotClass;
    return {
        className: typeof source === "string" ? source : source.volumeSnapshotClassName!,
        classResource: typeof source === "string" ? undefined : source.snapshotClass,
        image: snapshots.image ?? DEFAULT_SNAPSHOT_IMAGE,
        keep: snapshots.keep ?? DEFAULT_SNAPSHOT_KEEP,
        name: `${statefulSetName}-snapshots`,
        readyTimeoutSeconds: snapshots.readyTimeoutSeconds ?? DEFAULT_SNAPSHOT_READY_TIMEOUT,
        schedule: snapshots.schedule,
        suspend: snapshots.suspend ?? false,
        timeZone: snapshots.timeZone,
        volumes: snapshots.volumes ?? volumeNames,
    };
}

/** The objects the snapshot schedule renders (the args of each). */
export interface SnapshotObjects {
    readonly serviceAccount: k8s.core.v1.ServiceAccountArgs;
    readonly role: k8s.rbac.v1.RoleArgs;
    readonly roleBinding: k8s.rbac.v1.RoleBindingArgs;
    readonly policy: k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs;
    readonly policyBinding: k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs;
    readonly cronJob: k8s.batch.v1.CronJobArgs;
}

/** The labels of the schedule's own objects. */
export function snapshotScheduleLabels(statefulSetName: string): Record<string, string> {
    return standardLabels(statefulSetName, "snapshot-schedule");
}

/** The name of the cluster-scoped admission policy and its binding: `<name>.<namespace>.stateful-stacks.io`. */
export function snapshotPolicyName(resolved: Pick<ResolvedSnapshots, "name">, namespace: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`${resolved.name}.${namespace}.stateful-stacks.io`;
}

/**
 * The ServiceAccount, Role, RoleBinding, ValidatingAdmissionPolicy (+ binding) and CronJob
 * of a workload's snapshot schedule.
 */
export function buildSnapshotObjects(
    statefulSetName: string,
    namespace: pulumi.Input<string>,
    replicas: number,
    resolved: ResolvedSnapshots,
): SnapshotObjects {
    const labels = snapshotScheduleLabels(statefulSetName);
    const meta = { labels, name: resolved.name, namespace };
    const claims = resolved.volumes.flatMap((v) => Array.from({ length: replicas }, (_, i) => `${v}-${statefulSetName}-${i}`));
    const user = pulumi.interpolate`system:serviceaccount:${namespace}:${resolved.name}`;
    const policyName = snapshotPolicyName(resolved, namespace);
    const claimList = claims.map((c) => `'${c}'`).join(", ");
    const own = (o: string) =>
        `has(${o}.metadata.labels) && '${SNAPSHOT_LABELS.statefulSet}' in ${o}.metadata.labels && ${o}.metadata.labels['${SNAPSHOT_LABELS.statefulSet}'] == '${statefulSetName}'`;
    const env = [
        { name: "KEEP", value: String(resolved.keep) },
        { name: "READY_TIMEOUT", value: String(resolved.readyTimeoutSeconds) },
        { name: "REPLICAS", value: String(replicas) },
        { name: "SNAPSHOT_CLASS", value: resolved.className },
        { name: "STATEFUL_SET", value: statefulSetName },
        { name: "VOLUMES", value: resolved.volumes.join(" ") },
    ];
    const jobSpec = {
        activeDeadlineSeconds: resolved.readyTimeoutSeconds + 300,
        backoffLimit: 2,
        template: {
            metadata: { labels },
            spec: {
                automountServiceAccountToken: true,
                containers: [
                    {
                        command: ["sh", "-c", SNAPSHOT_SCRIPT],
                        env,
                        image: resolved.image,
                        name: "snapshot",
                        resources: { limits: { memory: "64Mi" }, requests: { cpu: "10m", memory: "32Mi" } },
                        securityContext: restrictedContainerSecurityContext({ readOnlyRootFilesystem: true }),
                    },
                ],
                restartPolicy: "Never",
                securityContext: restrictedPodSecurityContext(),
                serviceAccountName: resolved.name,
            },
        },
    };
    const cronSpec: Record<string, unknown> = {
        concurrencyPolicy: "Forbid",
        failedJobsHistoryLimit: 3,
        jobTemplate: { metadata: { labels }, spec: jobSpec },
        schedule: resolved.schedule,
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        suspend: resolved.suspend,
    };
    if (resolved.timeZone !== undefined) {
        cronSpec.timeZone = resolved.timeZone;
    }
    return sortKeys({
        cronJob: { metadata: meta, spec: cronSpec },
        policy: {
            metadata: { labels, name: policyName },
            spec: {
                failurePolicy: "Fail",
                matchConditions: [{ expression: pulumi.interpolate`request.userInfo.username == '${user}'`, name: "snapshot-job" }],
                matchConstraints: {
                    resourceRules: [{ apiGroups: ["snapshot.storage.k8s.io"], apiVersions: ["*"], operations: ["CREATE", "UPDATE", "DELETE"], resources: ["volumesnapshots"] }],
                },
                validations: [
                    {
                        expression: `request.operation != 'CREATE' || (${own("object")} && has(object.spec.source.persistentVolumeClaimName) && object.spec.source.persistentVolumeClaimName in [${claimList}])`,
                        reason: "Forbidden",
                        message: `the snapshot job of ${statefulSetName} may only create VolumeSnapshots labelled ${SNAPSHOT_LABELS.statefulSet}=${statefulSetName} of its own claims`,
                    },
                    {
                        expression: `request.operation != 'UPDATE'`,
                        reason: "Forbidden",
                        message: `the snapshot job of ${statefulSetName} never changes a VolumeSnapshot`,
                    },
                    {
                        expression: `request.operation != 'DELETE' || (${own("oldObject")})`,
                        reason: "Forbidden",
                        message: `the snapshot job of ${statefulSetName} may only delete VolumeSnapshots labelled ${SNAPSHOT_LABELS.statefulSet}=${statefulSetName}`,
                    },
                ],
            },
        },
        policyBinding: {
            metadata: { labels, name: policyName },
            spec: {
                matchResources: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } },
                policyName,
                validationActions: ["Deny"],
            },
        },
        role: {
            metadata: meta,
            rules: [
                ...(claims.length ? [{ apiGroups: [""], resourceNames: claims, resources: ["persistentvolumeclaims"], verbs: ["get"] }] : []),
                { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: ["create", "delete", "get", "list"] },
            ],
        },
        roleBinding: {
            metadata: meta,
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: resolved.name },
            subjects: [{ kind: "ServiceAccount", name: resolved.name, namespace }],
        },
        serviceAccount: { automountServiceAccountToken: false, metadata: meta },
    }) as unknown as SnapshotObjects;
}

