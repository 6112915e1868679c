import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { validatedArgs } from "../common/checks";
import { childOptions } from "../common/options";
import { VolumeAttributesClassFacts, VolumeAttributesClassReference } from "../common/volume-attributes-ref";
import { EbsVolumeType } from "./ebs-limits";
import { EBS_VOLUME_ATTRIBUTES_CLASS_TYPE, EbsVolumeAttributesClassArgs } from "./ebs-volume-attributes-class-args";
import { renderEbsVolumeAttributesClass } from "./ebs-volume-attributes-class-render";
import { validateEbsVolumeAttributesArgs } from "./ebs-volume-attributes-class-validate";

export { EBS_VOLUME_ATTRIBUTES_CLASS_TYPE } from "./ebs-volume-attributes-class-args";
export type { EbsVolumeAttributesClassArgs } from "./ebs-volume-attributes-class-args";
export {
    buildEbsVolumeAttributesClass,
    ebsVolumeAttributesClassName,
    ebsVolumeAttributesParameters,
    ebsVolumeAttributesSuffix,
} from "./ebs-volume-attributes-class-render";
export type { VolumeAttributesClassObject } from "./ebs-volume-attributes-class-render";
export { MAX_VOLUME_ATTRIBUTES_PREFIX, validateEbsVolumeAttributesArgs } from "./ebs-volume-attributes-class-validate";

/**
 * A VolumeAttributesClass (`storage.k8s.io/v1`, Kubernetes ≥ 1.34) on the EBS CSI driver:
 * the IOPS, throughput, volume type and tags that existing volumes are modified to in
 * place when their claims name it. Give it to a workload's volume (or set a claim's
 * `spec.volumeAttributesClassName` to {@link volumeAttributesClassName}) next to its
 * {@link EbsStorageClass}; changing the performance then retunes every volume without
 * replacing a claim or the StorageClass.
 *
 * The object is immutable, so its name is derived from its parameters and a change is a
 * new object under a new Pulumi name (a create and a delete, never a replacement). It is
 * kept on delete: claims kept by `pulumi destroy` (and claims that have not moved yet)
 * still name it, and Kubernetes keeps a class that is in use anyway
 * (`kubernetes.io/vac-protection`); a class left behind by a retune can be deleted with
 * kubectl once no claim or volume names it. It holds no data and is never protected.
 *
 * Provider 4.25 has no `storage.k8s.io/v1` type for it (only v1alpha1/v1beta1, which are
 * off by default), so it is registered as a `kubernetes.apiextensions.CustomResourcePatch`
 * of that apiVersion: the provider server-side applies any kind the API server serves.
 * A patch creates the object or takes over an existing one with the same name and
 * parameters (one kept by an earlier retune or `pulumi destroy`) on every provider
 * version; providers from 4.29 on refuse to create an object that exists already.
 */
export class EbsVolumeAttributesClass extends pulumi.ComponentResource implements VolumeAttributesClassReference {
    /** What a workload checks its claims against: plain values, known at construction. */
    public readonly volumeAttributesFacts: VolumeAttributesClassFacts;
    /**
     * The class's name, for `spec.volumeAttributesClassName` of claims and claim templates.
     * Known at construction (also in a preview where the class is new) and it carries the
     * dependency on the object, so claims move to the class only after it exists.
     */
    public readonly volumeAttributesClassName: pulumi.Output<string>;
    /** The VolumeAttributesClass object (server-side applied, see the class's description). */
    public readonly volumeAttributesClass: k8s.apiextensions.CustomResourcePatch;
    /** The volume type volumes are modified to. */
    public readonly volumeType: EbsVolumeType;
    /** The provisioned IOPS, when set. */
    public readonly iops?: number;
    /** The throughput in MiB/s, when set. */
    public readonly throughputMibps?: number;

    constructor(name: string, given: EbsVolumeAttributesClassArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedArgs({ kind: "EbsVolumeAttributesClass", name }, given, (copy) => validateEbsVolumeAttributesArgs(name, copy));
        super(EBS_VOLUME_ATTRIBUTES_CLASS_TYPE, name, {}, opts);

        const rendered = renderEbsVolumeAttributesClass(name, args);
        this.volumeAttributesFacts = rendered.facts;
        this.volumeType = rendered.resolved.volumeType;
        this.iops = rendered.resolved.iops;
        this.throughputMibps = rendered.resolved.throughputMibps;

        // Never protected (a retune must be able to leave it), always kept on delete (the
        // provider then never takes its fields back from an object claims may still name).
        this.volumeAttributesClass = new k8s.apiextensions.CustomResourcePatch(
            rendered.childName,
            rendered.volumeAttributesClass,
            childOptions(this, { protect: false, retainOnDelete: true }),
        );
        const className = rendered.facts.name;
        // The URN is known in every preview; the name then is too, and it still depends on the object.
        this.volumeAttributesClassName = this.volumeAttributesClass.urn.apply(() => className);

        this.registerOutputs({ volumeAttributesClassName: this.volumeAttributesClassName });
    }
}
