import * as pulumi from "@pulumi/pulumi";
import { validatedArgs } from "../common/checks";
import { NodeLocalStore as LibraryNodeLocalStore } from "../workload/node-local-store";
import { NodeLocalStoreArgs as LibraryArgs } from "../workload/node-local-store-args";
import { validateNodeLocalStoreArgs } from "../workload/node-local-store-validate";
import { definedFields } from "./convert";
import { providerType } from "./registry";

/** Arguments of the NodeLocalStore component as other languages see it (the library's NodeLocalStoreArgs, core fields). */
export interface NodeLocalStoreArgs {
    /** The namespace (it must exist). */
    namespace: string;
    /** The image. */
    image: string;
    /** Labels of the nodes the DaemonSet runs on (at least one). */
    nodeSelector: Record<string, string>;
    /**
     * The container's command.
     * @default the image's entrypoint
     */
    command?: string[];
    /**
     * The container's arguments.
     * @default the image's
     */
    args?: string[];
    /**
     * Plain environment variables.
     * @default none
     */
    env?: Record<string, string>;
    /**
     * The node directory holding the data (under an allowed prefix).
     * @default "/mnt/stateful-stacks/<name>"
     */
    hostPath?: string;
    /**
     * Where the directory is mounted in the container.
     * @default "/data"
     */
    mountPath?: string;
    /**
     * Memory per pod (request and limit).
     * @default "256Mi"
     */
    memory?: string;
    /**
     * CPU request per pod.
     * @default "100m"
     */
    cpu?: string;
    /**
     * Add an init container that creates the host directory with the pod's owner.
     * @default true
     */
    prepareHostPath?: boolean;
    /**
     * Do not wait for the DaemonSet to become ready.
     * @default false
     */
    skipAwait?: boolean;
}

/** Node-local state: a DaemonSet on the selected nodes with a hostPath volume, and a headless Service for peers. */
export class NodeLocalStore extends pulumi.ComponentResource {
    /** The DaemonSet's name. */
    public readonly daemonSetName: pulumi.Output<string>;
    /** The headless Service's name. */
    public readonly headlessServiceName: pulumi.Output<string>;
    /** The DNS name that resolves to every pod. */
    public readonly peerDnsName: pulumi.Output<string>;

    constructor(name: string, args: NodeLocalStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        const libraryArgs = validatedArgs({ kind: "NodeLocalStore", name }, definedFields({ ...(args ?? {}) }) as LibraryArgs, (copy) => validateNodeLocalStoreArgs(name, copy));
        super(providerType("NodeLocalStore"), name, {}, opts);
        const component = new LibraryNodeLocalStore(name, libraryArgs, { parent: this, protect: opts?.protect, retainOnDelete: opts?.retainOnDelete });
        this.daemonSetName = component.daemonSetName;
        this.headlessServiceName = component.headlessServiceName;
        this.peerDnsName = component.peerDnsName;
        this.registerOutputs({ daemonSetName: this.daemonSetName, headlessServiceName: this.headlessServiceName, peerDnsName: this.peerDnsName });
    }
}
