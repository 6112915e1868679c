import * as k8s from "@pulumi/kubernetes";
import {
    EfsStorageClass,
    EfsStorageClassArgs,
    hostAntiAffinity,
    restrictedPodSecurityContext,
    selectorLabels,
    standardLabels,
    zoneSpread,
} from "../components";
import { webServerContainer } from "./base";
import { defineScenario, Scenario } from "./scenario";

/**
 * shared-content-efs: storage decoupled from compute. An EFS file system (new, with a
 * mount target in each of three subnets, or an existing one) behind an EFS StorageClass,
 * one ReadWriteMany claim, and a Deployment of web servers that all serve from it.
 */

/** The file system id used in local mode when none is configured: the API server never checks it. */
export const LOCAL_FILE_SYSTEM_ID = "fs-0123456789abcdef0";

const KEYS = {
    fileSystemId: {
        description: "Use this existing EFS file system instead of creating one (no AWS resources are created then).",
        defaultText: `create one; in local mode ${LOCAL_FILE_SYSTEM_ID}`,
    },
    vpcId: { description: "VPC of the new file system's mount targets and security group (not used with `fileSystemId`)." },
    subnetIds: { description: "Subnets for the mount targets, one per availability zone (not used with `fileSystemId`)." },
    allowedCidrBlocks: { description: "CIDR blocks allowed to reach NFS (TCP 2049), such as the node subnets.", default: ["10.0.0.0/16"] },
    storageClassName: { description: "Name of the EFS StorageClass.", default: "shared-content-efs" },
    contentSize: { description: "Requested size of the shared claim (EFS is elastic; Kubernetes requires a size).", default: "100Gi" },
    webReplicas: { description: "Web servers serving the shared content (at least 2).", default: 2 },
    webImage: { description: "Web server image; serves /usr/share/nginx/html on port 8080.", default: "nginxinc/nginx-unprivileged:1.27-alpine" },
} as const;

export const sharedContentEfs: Scenario = defineScenario("shared-content-efs", KEYS, "restricted", (settings, base) => {
    const existing = settings.optionalString("fileSystemId") ?? (base.localMode ? LOCAL_FILE_SYSTEM_ID : undefined);
    const storageArgs: EfsStorageClassArgs = existing
        ? { fileSystemId: existing, storageClassName: settings.string("storageClassName") }
        : {
              fileSystem: {
                  allowedCidrBlocks: settings.list("allowedCidrBlocks"),
                  subnetIds: settings.list("subnetIds"),
                  vpcId: settings.string("vpcId"),
              },
              storageClassName: settings.string("storageClassName"),
          };
    const storage = new EfsStorageClass("shared-content", storageArgs, base.opts);

    const claim = new k8s.core.v1.PersistentVolumeClaim(
        "content",
        {
            metadata: base.metadata({ labels: standardLabels("content", "shared-content"), name: "content", namespace: base.namespace }),
            spec: {
                accessModes: ["ReadWriteMany"],
                resources: { requests: { storage: settings.string("contentSize") } },
                storageClassName: storage.storageClassName,
            },
        },
        // The claim holds the content: a `pulumi destroy` leaves it (and its volume) in place.
        // It waits for the class (and the file system's mount targets) without taking the
        // class name as a dependency, so a replaced class does not replace the claim.
        { ...base.objectOpts, retainOnDelete: true, dependsOn: [storage] },
    );

    const selector = selectorLabels("web");
    const labels = standardLabels("web", "web-server");
    const deployment = new k8s.apps.v1.Deployment(
        "web",
        {
            metadata: base.metadata({ labels, name: "web", namespace: base.namespace }),
            spec: {
                replicas: settings.integer("webReplicas", 2, 100),
                selector: { matchLabels: selector },
                template: {
                    metadata: { labels },
                    spec: {
                        affinity: hostAntiAffinity(selector, "preferred"),
                        automountServiceAccountToken: false,
                        containers: [
                            { ...webServerContainer("web", settings.string("webImage")), volumeMounts: [{ mountPath: "/usr/share/nginx/html", name: "content", readOnly: true }] },
                        ],
                        securityContext: restrictedPodSecurityContext(),
                        topologySpreadConstraints: zoneSpread(selector, "preferred"),
                        volumes: [{ name: "content", persistentVolumeClaim: { claimName: claim.metadata.name } }],
                    },
                },
            },
        },
        base.objectOpts,
    );
    const service = new k8s.core.v1.Service(
        "web",
        {
            metadata: base.metadata({ labels, name: "web", namespace: base.namespace }),
            spec: { ports: [{ name: "http", port: 80, targetPort: "http" }], selector },
        },
        base.objectOpts,
    );

    return {
        claimName: claim.metadata.name,
        fileSystemId: storage.fileSystemId,
        namespace: base.namespace,
        storageClassName: storage.storageClassName,
        webDeploymentName: deployment.metadata.name,
        webServiceDnsName: service.metadata.name.apply((name) => `${name}.${base.namespace}.svc.cluster.local`),
    };
});
