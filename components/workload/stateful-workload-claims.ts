import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { isVolumeAttributesClassReference, VolumeAttributesClassReference } from "../common/volume-attributes-ref";
import { StatefulWorkloadArgs, WorkloadVolume } from "./stateful-workload-args";
import { classifyStorageClass, statefulSetNameOf } from "./stateful-workload-validate";

/**
 * Day-two mechanics of a StatefulWorkload: the claims it keeps up to date itself (so a
 * grown size or a new VolumeAttributesClass reaches every existing claim without
 * replacing the StatefulSet), and the owner object that lets a replaced StatefulSet
 * orphan its pods while `pulumi destroy` still removes them.
 */

/** The provider's annotation that chooses the propagation policy of a delete (pulumi-kubernetes ≥ 4.12). */
export const DELETION_PROPAGATION_ANNOTATION = "pulumi.com/deletionPropagationPolicy";
/** The provider's annotation that lets a server-side apply take fields another manager owns. */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";
/** The provider's annotation that skips waiting for readiness. */
const SKIP_AWAIT = "pulumi.com/skipAwait";

/** The claim template fields that change in place on the claims, not in the (immutable) template. */
const IN_PLACE_TEMPLATE_FIELDS = ["spec.resources.requests.storage", "spec.volumeAttributesClassName"] as const;

/**
 * The StatefulSet's `ignoreChanges`: the size and the VolumeAttributesClass of every claim
 * template. Claim templates are immutable, so a changed size would replace the
 * StatefulSet; the claims themselves grow through {@link buildClaimPatches}. The template
 * keeps the size the StatefulSet was created with. A path per volume (not `[*]`): the
 * engine refuses a path that is missing on either side, which a wildcard would be as soon
 * as the number of volumes changes.
 */
export function claimTemplateIgnoreChanges(volumes: readonly Pick<WorkloadVolume, "name">[]): string[] {
    return volumes.flatMap((_, i) => IN_PLACE_TEMPLATE_FIELDS.map((field) => `spec.volumeClaimTemplates[${i}].${field}`));
}

/** The class name a volume's claims get: a reference's (or a name's) plain value, a component's Output. */
export function claimStorageClassName(volume: Pick<WorkloadVolume, "storageClass">): pulumi.Input<string> | undefined {
    const ref = classifyStorageClass(volume.storageClass);
    // A reference's name is a plain value known at construction: a replaced class does
    // not make the claims unknown (and the StatefulSet replaced) in a preview.
    return ref.kind === "name" ? ref.name : ref.kind === "reference" ? ref.reference.storageFacts.name : ref.kind === "component" ? ref.component.storageClassName : undefined;
}

/** The VolumeAttributesClass name of a volume's claims, a plain value, or undefined for none. */
export function claimVolumeAttributesClassName(volume: Pick<WorkloadVolume, "volumeAttributesClass">): string | undefined {
    const vac = volume.volumeAttributesClass;
    if (typeof vac === "string") {
        return vac;
    }
    return isVolumeAttributesClassReference(vac) ? vac.volumeAttributesFacts.name : undefined;
}

/** The VolumeAttributesClass objects the volumes name, once each: claims move to a class only after it exists. */
export function volumeAttributesClassResources(volumes: readonly WorkloadVolume[]): pulumi.Resource[] {
    const found: pulumi.Resource[] = [];
    for (const volume of volumes) {
        const vac: VolumeAttributesClassReference | string | undefined = volume.volumeAttributesClass;
        if (isVolumeAttributesClassReference(vac) && !found.includes(vac.volumeAttributesClass)) {
            found.push(vac.volumeAttributesClass);
        }
    }
    return found;
}

/** The spec of a volume's claims: what the template asks for and what each claim is kept at. */
export function claimSpec(volume: WorkloadVolume): k8s.types.input.core.v1.PersistentVolumeClaimSpec {
    const volumeAttributesClassName = claimVolumeAttributesClassName(volume);
    return {
        accessModes: volume.accessModes ?? ["ReadWriteOnce"],
        resources: { requests: { storage: volume.size } },
        storageClassName: claimStorageClassName(volume),
        ...(volumeAttributesClassName !== undefined ? { volumeAttributesClassName } : {}),
    };
}

/** One claim a workload keeps up to date: the Pulumi resource name and the patch's args. */
export interface ClaimPatch {
    /** Resource name, `<component>-<volume>-<i>`: stable per volume and ordinal, derived from the component name. */
    readonly resourceName: string;
    readonly args: k8s.core.v1.PersistentVolumeClaimPatchArgs;
}

/**
 * A server-side apply of every claim of every ordinal (`<volume>-<sts>-<i>`), volume by
 * volume: the size, the VolumeAttributesClass, the class and access modes. It grows an
 * existing claim in place (the CSI driver expands the volume, the file system follows
 * online), moves it to a new VolumeAttributesClass, and creates the claim of an ordinal
 * that does not exist yet, before the StatefulSet scales up, so a new replica starts at
 * the current size. Force takes the size from the StatefulSet controller, which created
 * the claim; skip-await, because a claim of a WaitForFirstConsumer class binds only when
 * its pod is scheduled, after the StatefulSet. Labels are the workload's, as on the
 * claims the controller makes.
 */
export function buildClaimPatches(name: string, args: StatefulWorkloadArgs, labels: Record<string, string>, replicas: number): ClaimPatch[] {
    const sts = statefulSetNameOf(name, args);
    return (args.volumes ?? []).flatMap((volume) =>
        Array.from({ length: replicas }, (_, i) => {
            const claim = `${volume.name}-${sts}-${i}`;
            return {
                resourceName: `${name}-${volume.name}-${i}`,
                args: {
                    metadata: {
                        annotations: { [PATCH_FORCE_ANNOTATION]: "true", [SKIP_AWAIT]: "true" },
                        labels,
                        name: claim,
                        namespace: args.namespace,
                    },
                    spec: claimSpec(volume),
                },
            };
        }),
    );
}

/** The name of the ConfigMap that owns a workload's StatefulSet: `<statefulSetName>-owner`. */
export function podOwnerName(statefulSetName: string): string {
    return `${statefulSetName}-owner`;
}

/** The note the owner ConfigMap carries, for whoever finds it in the cluster. */
export const POD_OWNER_NOTE =
    "Owns the StatefulSet of the same workload. A replaced StatefulSet orphans its pods and claims (pulumi.com/deletionPropagationPolicy: orphan) so that the new one adopts them; when this ConfigMap is deleted (pulumi destroy, or the workload removed from the program), the garbage collector deletes the StatefulSet and its pods. Deleting it by hand deletes the pods too; the claims are kept.";

/** The owner ConfigMap's args. */
export function buildPodOwner(statefulSetName: string, namespace: pulumi.Input<string>, labels: Record<string, string>): k8s.core.v1.ConfigMapArgs {
    return {
        data: { note: POD_OWNER_NOTE },
        immutable: true,
        metadata: { labels, name: podOwnerName(statefulSetName), namespace },
    };
}

/** The StatefulSet's owner reference to the owner ConfigMap; a dependent that blocks the owner's foreground deletion until it is gone. */
export function podOwnerReference(statefulSetName: string, uid: pulumi.Input<string>): k8s.types.input.meta.v1.OwnerReference {
    return { apiVersion: "v1", blockOwnerDeletion: true, kind: "ConfigMap", name: podOwnerName(statefulSetName), uid };
}

