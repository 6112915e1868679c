import type { Finding } from "./gate";
import { PreviewDocument, ResourceState, splitUrn, StepOp } from "./preview";

/**
 * The gate's rule for VolumeAttributesClasses (`volume-attributes`, a warning): a class
 * that the preview deletes while a claim, a claim patch or a StatefulSet's claim template
 * still names it afterwards. Kubernetes keeps a class in use (finalizer `kubernetes.io/vac-protection`),
 * so the provider's delete waits and fails after its timeout, and a claim that names a
 * missing class stays Pending. A retune — a new class, every claim moved to it, the old
 * one deleted or retained — has no finding, nor has a class that is retained on delete.
 */

const VOLUME_ATTRIBUTES_CLASS = /^kubernetes:storage\.k8s\.io\/v1(alpha1|beta1)?:VolumeAttributesClass$/;

/** Ops after which the step's object is gone from the program. */
const REMOVING: readonly StepOp[] = ["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"];

function record(value: unknown): Record<string, unknown> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function objectOf(state: ResourceState | undefined): Record<string, unknown> | undefined {
    return record(state?.inputs) ?? record(state?.outputs);
}

/** The VolumeAttributesClass names an object's claims ask for: a claim's (or a claim patch's) own, or every claim template's. */
export function namedVolumeAttributesClasses(state: ResourceState | undefined): string[] {
    const spec = record(objectOf(state)?.spec);
    if (state === undefined || spec === undefined) {
        return [];
    }
    const type = splitUrn(state.urn).type || state.type;
    const specs =
        type === "kubernetes:core/v1:PersistentVolumeClaim" || type === "kubernetes:core/v1:PersistentVolumeClaimPatch"
            ? [spec]
            : type === "kubernetes:apps/v1:StatefulSet" && Array.isArray(spec.volumeClaimTemplates)
              ? spec.volumeClaimTemplates.map((t) => record(record(t)?.spec) ?? {})
              : [];
    return specs.map((s) => s.volumeAttributesClassName).filter((n): n is string => typeof n === "string" && n !== "");
}

/** Warnings for VolumeAttributesClasses deleted while claims still name them after the change. */
export function volumeAttributesFindings(doc: PreviewDocument): Finding[] {
    const namedBy = new Map<string, Set<string>>();
    const kept = new Set<string>();
    for (const step of doc.steps) {
        if (REMOVING.includes(step.op) || step.newState === undefined) {
            continue;
        }
        const { name } = splitUrn(step.urn);
        for (const className of namedVolumeAttributesClasses(step.newState)) {
            (namedBy.get(className) ?? namedBy.set(className, new Set()).get(className)!).add(name);
        }
        if (VOLUME_ATTRIBUTES_CLASS.test(step.newState.type)) {
            const kubernetesName = record(objectOf(step.newState)?.metadata)?.name;
            if (typeof kubernetesName === "string") {
                kept.add(kubernetesName);
            }
        }
    }
    const findings: Finding[] = [];
    for (const step of doc.steps) {
        const old = step.oldState;
        if (!REMOVING.includes(step.op) || old === undefined || !VOLUME_ATTRIBUTES_CLASS.test(old.type) || old.retainOnDelete === true) {
            continue;
        }
        const className = record(objectOf(old)?.metadata)?.name;
        const users = typeof className === "string" && !kept.has(className) ? namedBy.get(className) : undefined;
        if (users === undefined) {
            continue;
        }
        findings.push({
            keys: [],
            name: splitUrn(step.urn).name,
            op: "delete",
            reason: `deletes VolumeAttributesClass "${className}" while ${[...users].sort().join(", ")} still name it: Kubernetes keeps a class in use (finalizer kubernetes.io/vac-protection), so the delete waits and fails after the provider's timeout, and a claim that names a missing class stays Pending`,
            remedy: "move every claim and claim template to another class first, or keep the class (retainOnDelete, as EbsVolumeAttributesClass does)",
            rule: "volume-attributes",
            type: old.type,
            urn: step.urn,
            verdict: "warn",
        });
    }
    return findings;
}
