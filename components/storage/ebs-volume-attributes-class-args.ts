import { EbsVolumeType } from "./ebs-limits";

/**
 * The arguments of {@link EbsVolumeAttributesClass} and the constants they refer to.
 * Validation (`ebs-volume-attributes-class-validate.ts`), the pure render step
 * (`ebs-volume-attributes-class-render.ts`) and the class (`ebs-volume-attributes-class.ts`)
 * all read from here.
 */

/** Type token of {@link EbsVolumeAttributesClass}. */
export const EBS_VOLUME_ATTRIBUTES_CLASS_TYPE = "stateful-stacks:storage:EbsVolumeAttributesClass";

/**
 * Arguments of {@link EbsVolumeAttributesClass}: the performance that existing EBS volumes
 * are modified to, in place, when their claims name the class (`volumeAttributesClassName`).
 *
 * A VolumeAttributesClass is immutable, so the object's name is derived from these values
 * (`<namePrefix>-gp3-6000iops-250mibps`): changing one creates a new class, the claims move
 * to it in place, and the EBS CSI driver calls ModifyVolume on each volume. Nothing that
 * holds data is replaced. AWS accepts one modification per volume every six hours: a second
 * retune within that window stays pending (the claim's `status.modifyVolumeStatus`) until
 * the window has passed. Only the parameters the driver can modify are taken (`type`,
 * `iops`, `throughput`, tags); encryption, the KMS key and the file system cannot change.
 * Needs Kubernetes ≥ 1.34 (`storage.k8s.io/v1`) and the EBS CSI driver with sidecars that
 * read that version (csi-resizer ≥ 2.0, csi-provisioner ≥ 6.0); see the README.
 * See https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/modify-volume.md
 */
export interface EbsVolumeAttributesClassArgs {
    /**
     * The EBS volume type to modify volumes to: "gp3", "gp2", "io1", "io2", "st1" or "sc1"
     * (a gp2 → gp3 move keeps the data and the volume id). st1 and sc1 need volumes of at
     * least 125 GiB. Always rendered, so a volume of another type is converted.
     * @default "gp3"
     */
    readonly volumeType?: EbsVolumeType;
    /**
     * Provisioned IOPS, a plain integer within the type's range (gp3 3,000–80,000, io1
     * 100–64,000, io2 100–256,000); required for io1/io2, not accepted for gp2, st1 and
     * sc1. An Output is refused: the class's name is derived from it. Volumes must be big
     * enough for it (at most 500 IOPS per GiB for gp3, 50 for io1, 1,000 for io2).
     * @default not set: the volume keeps the IOPS it has (a gp2 volume moved to gp3 gets the 3,000 baseline)
     */
    readonly iops?: number;
    /**
     * Throughput in MiB/s, gp3 only (125–2,000), a plain integer at most a quarter of the
     * IOPS (750 with the 3,000 baseline IOPS when `iops` is not set). An Output is refused:
     * the class's name is derived from it.
     * @default not set: the volume keeps the throughput it has
     */
    readonly throughputMibps?: number;
    /**
     * Tags the driver puts on each modified volume, rendered as `tagSpecification_1`, … like
     * the StorageClass's ("key=value", sorted by key); tags already on the volume and not
     * named here stay. Keys: 1–128 characters, no "=", not starting with "aws:"; values at
     * most 256 characters.
     * @default no tags
     */
    readonly tags?: Record<string, string>;
    /**
     * The start of the class's name (a DNS-1123 subdomain); the rest is derived from the
     * parameters, e.g. `<namePrefix>-gp3-6000iops-250mibps`, with `-tags-<8 hex digits>`
     * (a hash of the tags) when tags are given. The whole name is at most 253 characters.
     * @default the component name
     */
    readonly namePrefix?: string;
}

/** Every argument name of {@link EbsVolumeAttributesClassArgs}, for the unknown-key check. */
export const EBS_VOLUME_ATTRIBUTES_ARG_NAMES: readonly string[] = ["iops", "namePrefix", "tags", "throughputMibps", "volumeType"];
