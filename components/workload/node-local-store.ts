import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { standardLabels } from "../common/kubernetes";
import { validatedArgs } from "../common/checks";
import { NodeLocalStoreArgs } from "./node-local-store-args";
import { nodeLocalMetadata, renderNodeLocalStoreSpecs, resolveNodeLocalStore } from "./node-local-store-render";
import { validateNodeLocalStoreArgs } from "./node-local-store-validate";
import { disposableChildOptions } from "../common/options";

export { HOST_PATH_PREFIXES } from "./node-local-store-args";
export type { NodeLocalPort, NodeLocalStoreArgs, NodeLocalToleration } from "./node-local-store-args";
export { buildNodeLocalStoreSpecs, buildPrepareHostPathContainer, defaultHostPath, nodeLocalMetadata, nodeLocalStorageClassName } from "./node-local-store-render";
export type { NodeLocalStoreSpecs } from "./node-local-store-render";
export {
    isSystemHostPath,
    NODE_LOCAL_MAX_NAME,
    NODE_LOCAL_RESERVED_ENV,
    normaliseHostPath,
    validateNodeLocalStoreArgs,
} from "./node-local-store-validate";

/**
 * Persistent storage on labelled nodes: a DaemonSet that runs only on nodes carrying the
 * given labels, each pod keeping its data in a host directory of its node, updated one
 * node at a time, with a headless Service for peer discovery and optionally a local-volume
 * StorageClass.
 */
export class NodeLocalStore extends pulumi.ComponentResource {
    public readonly daemonSetName: pulumi.Output<string>;
    public readonly headlessServiceName: pulumi.Output<string>;
    /** `<name>-peers.<namespace>.svc.cluster.local`: resolves to every ready and unready pod. */
    public readonly peerDnsName: pulumi.Output<string>;
    /** The host directory that holds the data on each node, in normal form. */
    public readonly hostPath: string;
    public readonly storageClassName?: pulumi.Output<string>;
    public readonly daemonSet: k8s.apps.v1.DaemonSet;
    public readonly headlessService: k8s.core.v1.Service;
    public readonly storageClass?: k8s.storage.v1.StorageClass;

    /** Refuses invalid arguments (every problem at once) before anything is registered. */
    constructor(name: string, given: NodeLocalStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedArgs({ kind: "NodeLocalStore", name }, given, (copy) => validateNodeLocalStoreArgs(name, copy));
        const store = resolveNodeLocalStore(name, args);
        const specs = renderNodeLocalStoreSpecs(store);
        super("stateful-stacks:workload:NodeLocalStore", name, {}, opts);

        this.hostPath = store.hostPath;
        this.daemonSet = new k8s.apps.v1.DaemonSet(name, { metadata: nodeLocalMetadata(name, store, name, true), spec: specs.daemonSet }, disposableChildOptions(this));
        this.headlessService = new k8s.core.v1.Service(`${name}-peers`, { metadata: nodeLocalMetadata(name, store, `${name}-peers`, true), spec: specs.service }, disposableChildOptions(this));
        if (store.storageClassName !== undefined && specs.storageClass) {
            this.storageClass = new k8s.storage.v1.StorageClass(
                `${name}-local`,
                { metadata: { labels: standardLabels(name, "node-local-store"), name: store.storageClassName }, ...specs.storageClass },
                disposableChildOptions(this),
            );
            this.storageClassName = this.storageClass.metadata.name;
        }

        this.daemonSetName = this.daemonSet.metadata.name;
        this.headlessServiceName = this.headlessService.metadata.name;
        this.peerDnsName = pulumi.output(`${name}-peers.${store.namespace}.svc.cluster.local`);
        this.registerOutputs({
            daemonSetName: this.daemonSetName,
            headlessServiceName: this.headlessServiceName,
            peerDnsName: this.peerDnsName,
            storageClassName: this.storageClassName,
        });
    }
}
