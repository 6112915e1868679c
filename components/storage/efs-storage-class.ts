import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StorageClassFacts, StorageClassReference } from "../common/storage-class-ref";
import { validatedArgs } from "../common/checks";
import { EFS_STORAGE_CLASS_TYPE, EfsStorageClassArgs } from "./efs-storage-class-args";
import { renderEfsStorageClass } from "./efs-storage-class-render";
import { validateEfsArgs } from "./efs-storage-class-validate";
import { dataHoldingOptions, disposableChildOptions } from "./storage-class";

export { parseCidr } from "./cidr";
export { EFS_PERFORMANCE_MODES, EFS_PROVISIONER, EFS_STORAGE_CLASS_TYPE, EFS_THROUGHPUT_MODES, EFS_TRANSITIONS, NFS_PORT } from "./efs-storage-class-args";
export type { EfsFileSystemArgs, EfsPerformanceMode, EfsStorageClassArgs, EfsThroughputMode, EfsTransition } from "./efs-storage-class-args";
export {
    buildEfsFileSystemArgs,
    buildEfsSecurityGroupArgs,
    buildEfsStorageClass,
    efsMountTargetName,
    efsParameters,
    efsStorageClassName,
} from "./efs-storage-class-render";
export { validateEfsArgs } from "./efs-storage-class-validate";

/**
 * A StorageClass on the EFS CSI driver (`efs.csi.aws.com`, one access point per claim)
 * on an existing file system, or on one created here with its mount targets, a security
 * group open to NFS only from the named sources, and a backup policy. The file system and
 * its backup policy are retained on delete unless `deleteWithStack` is set; the security
 * group, mount targets and StorageClass are disposable (never protected or retained).
 */
export class EfsStorageClass extends pulumi.ComponentResource implements StorageClassReference {
    /** What a workload checks its claims against: plain values, known at construction. */
    public readonly storageFacts: StorageClassFacts;
    /**
     * The StorageClass's name, for claims and `volumeClaimTemplates`. It is the explicit,
     * stable name and is known at construction, even in a preview where the class itself
     * is being replaced: claims that name the class are therefore not replaced with it
     * (a StorageClass's parameters only apply to new volumes). To create claims after the
     * class, depend on this component (`dependsOn: [storageClass]`); `StatefulWorkload`
     * does so by itself.
     */
    public readonly storageClassName: pulumi.Output<string>;
    /** The StorageClass object. */
    public readonly storageClass: k8s.storage.v1.StorageClass;
    /** The id of the file system access points are created on. */
    public readonly fileSystemId: pulumi.Output<string>;
    /** The file system created (with `fileSystem`). */
    public readonly fileSystem?: aws.efs.FileSystem;
    /** The security group of the mount targets (with `fileSystem`). */
    public readonly securityGroup?: aws.ec2.SecurityGroup;
    /** One mount target per subnet (with `fileSystem`; empty otherwise). */
    public readonly mountTargets: aws.efs.MountTarget[];
    /** The file system's backup policy (with `fileSystem`). */
    public readonly backupPolicy?: aws.efs.BackupPolicy;

    constructor(name: string, given: EfsStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedArgs({ kind: "EfsStorageClass", name }, given, (copy) => validateEfsArgs(name, copy, opts));
        super(EFS_STORAGE_CLASS_TYPE, name, {}, opts);

        const rendered = renderEfsStorageClass(name, args);
        const { resolved } = rendered;
        this.storageFacts = rendered.storageFacts;
        const created = rendered.fileSystem;
        if (created) {
            this.fileSystem = new aws.efs.FileSystem(`${name}-fs`, created.fileSystem, dataHoldingOptions(this, opts, resolved.deleteWithStack));
            this.fileSystemId = this.fileSystem.id;
            this.securityGroup = new aws.ec2.SecurityGroup(`${name}-nfs`, created.securityGroup, disposableChildOptions(this));
            const securityGroupId = this.securityGroup.id;
            this.mountTargets = created.mountTargets.map(
                (target) =>
                    new aws.efs.MountTarget(
                        target.name,
                        { fileSystemId: this.fileSystemId, securityGroups: [securityGroupId], subnetId: target.subnetId },
                        disposableChildOptions(this),
                    ),
            );
            // Deleting the policy disables the backups of a file system that is kept.
            this.backupPolicy = new aws.efs.BackupPolicy(
                `${name}-backup`,
                { backupPolicy: { status: created.backupStatus }, fileSystemId: this.fileSystemId },
                dataHoldingOptions(this, opts, resolved.deleteWithStack),
            );
        } else {
            this.fileSystemId = pulumi.output(resolved.fileSystemId!);
            this.mountTargets = [];
        }

        // Parameters are immutable and the name is explicit: a change must delete first.
        // Claims can only mount once the mount targets exist, so the class waits for them.
        this.storageClass = new k8s.storage.v1.StorageClass(
            name,
            rendered.storageClass(this.fileSystemId),
            disposableChildOptions(this, { deleteBeforeReplace: true, ...(this.mountTargets.length > 0 ? { dependsOn: this.mountTargets } : {}) }),
        );
        this.storageClassName = pulumi.output(resolved.storageClassName);

        this.registerOutputs({
            fileSystemId: this.fileSystemId,
            storageClassName: this.storageClassName,
        });
    }
}
