import * as pulumi from "@pulumi/pulumi";
import { validatedArgs } from "../common/checks";
import { EfsStorageClass as LibraryEfsStorageClass, EfsStorageClassArgs as LibraryArgs, validateEfsArgs } from "../storage/efs-storage-class";
import { definedFields } from "./convert";
import { ReclaimPolicy, VolumeBindingMode } from "./enums";
import { providerType, storageClasses } from "./registry";

/**
 * Arguments of the EfsStorageClass component as other languages see it: the library's
 * EfsStorageClassArgs on an existing file system (`fileSystemId`).
 */
export interface EfsStorageClassArgs {
    /** The existing EFS file system's id (`fs-…`). */
    fileSystemId: pulumi.Input<string>;
    /**
     * Permissions of each access point's root directory.
     * @default "700"
     */
    directoryPerms?: string;
    /**
     * POSIX user id of each access point.
     * @default from the gid range
     */
    uid?: number;
    /**
     * POSIX group id of each access point.
     * @default from the gid range
     */
    gid?: number;
    /**
     * First gid of the range the driver allocates from.
     * @default the driver's (50000)
     */
    gidRangeStart?: number;
    /**
     * Last gid of the range the driver allocates from.
     * @default the driver's (7000000)
     */
    gidRangeEnd?: number;
    /**
     * Directory under which access points are created.
     * @default "/"
     */
    basePath?: string;
    /**
     * Pattern of each access point's directory.
     * @default the driver's
     */
    subPathPattern?: string;
    /**
     * Add a unique suffix to each directory.
     * @default the driver's
     */
    ensureUniqueDirectory?: boolean;
    /**
     * Reuse an access point of the same name.
     * @default false
     */
    reuseAccessPoint?: boolean;
    /**
     * What happens to an access point's data when its claim is deleted.
     * @default "Retain"
     */
    reclaimPolicy?: ReclaimPolicy;
    /**
     * When volumes are created.
     * @default "Immediate"
     */
    volumeBindingMode?: VolumeBindingMode;
    /**
     * Make this the cluster's default StorageClass.
     * @default false
     */
    isDefault?: boolean;
    /**
     * The StorageClass's name (a DNS-1123 subdomain), explicit and stable.
     * @default the component name
     */
    storageClassName?: string;
    /**
     * Delete what the component created when it leaves the program.
     * @default false
     */
    deleteWithStack?: boolean;
}

/** A StorageClass on the EFS CSI driver (`efs.csi.aws.com`), one access point per claim, Retain by default. */
export class EfsStorageClass extends pulumi.ComponentResource {
    /** The StorageClass's name, for claims. */
    public readonly storageClassName: pulumi.Output<string>;
    /** The file system's id. */
    public readonly fileSystemId: pulumi.Output<string>;

    constructor(name: string, args: EfsStorageClassArgs, opts?: pulumi.ComponentResourceOptions) {
        const libraryArgs = validatedArgs({ kind: "EfsStorageClass", name }, definedFields({ ...(args ?? {}) }) as LibraryArgs, (copy) => validateEfsArgs(name, copy, opts));
        super(providerType("EfsStorageClass"), name, {}, opts);
        const component = new LibraryEfsStorageClass(name, libraryArgs, { parent: this, protect: opts?.protect, retainOnDelete: opts?.retainOnDelete });
        storageClasses.set(component.storageFacts.name, component);
        this.storageClassName = component.storageClassName;
        this.fileSystemId = component.fileSystemId;
        this.registerOutputs({ fileSystemId: this.fileSystemId, storageClassName: this.storageClassName });
    }
}
