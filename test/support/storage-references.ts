import * as pulumi from "@pulumi/pulumi";
import { isStorageClassReference, StorageClassFacts, StorageClassReference } from "../../components/common/storage-class-ref";

/**
 * The storage class components as a workload sees them: a component that implements
 * `StorageClassReference` is returned as it is; one that does not yet is given the facts
 * its public fields say (EBS: volume type and performance; EFS: a file system), under the
 * class name the test gave it. Workload tests use it so they check claims against facts
 * however the storage classes are built.
 */
export function asReference(component: object, name: string): StorageClassReference {
    if (isStorageClassReference(component)) {
        return component;
    }
    const c = component as {
        storageClassName: pulumi.Output<string>;
        storageClass: pulumi.Resource;
        volumeType?: NonNullable<StorageClassFacts["ebs"]>["volumeType"];
        iops?: number;
        iopsPerGb?: unknown;
        throughputMibps?: number;
        allowAutoIopsPerGbIncrease?: boolean;
        fileSystemId?: unknown;
    };
    const facts: StorageClassFacts =
        c.volumeType !== undefined
            ? {
                  accessModes: ["ReadWriteOnce", "ReadWriteOncePod"],
                  allowVolumeExpansion: true,
                  ebs: {
                      allowAutoIopsPerGbIncrease: c.allowAutoIopsPerGbIncrease,
                      iops: c.iops,
                      iopsPerGb: typeof c.iopsPerGb === "number" ? c.iopsPerGb : undefined,
                      throughputMibps: c.throughputMibps,
                      volumeType: c.volumeType,
                  },
                  name,
                  provisioner: "ebs.csi.aws.com",
              }
            : {
                  accessModes: ["ReadWriteOnce", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteMany"],
                  allowVolumeExpansion: true,
                  name,
                  provisioner: "efs.csi.aws.com",
              };
    return { storageClass: c.storageClass, storageClassName: c.storageClassName, storageFacts: facts };
}
