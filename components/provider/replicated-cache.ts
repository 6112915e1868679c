import * as pulumi from "@pulumi/pulumi";
import { validatedArgs } from "../common/checks";
import { ReplicatedCache as LibraryReplicatedCache, ReplicatedCacheArgs as LibraryArgs, validateReplicatedCacheArgs } from "../workload/replicated-cache";
import { definedFields } from "./convert";
import { CacheEngine } from "./enums";
import { providerType } from "./registry";

/** Arguments of the ReplicatedCache component as other languages see it (the library's ReplicatedCacheArgs, core fields). */
export interface ReplicatedCacheArgs {
    /** The namespace (it must exist). */
    namespace: string;
    /**
     * The cache engine.
     * @default "memcached"
     */
    engine?: CacheEngine;
    /**
     * The image.
     * @default the engine's pinned image
     */
    image?: string;
    /**
     * Number of pods.
     * @default 2
     */
    replicas?: number;
    /**
     * The port.
     * @default the engine's port
     */
    port?: number;
    /**
     * Memory per pod (a Kubernetes quantity), request and limit.
     * @default "256Mi"
     */
    memory?: string;
    /**
     * CPU request per pod.
     * @default "100m"
     */
    cpu?: string;
    /**
     * Pods that may be unavailable at once (PodDisruptionBudget).
     * @default 1
     */
    maxUnavailable?: number;
    /**
     * Do not wait for the Deployment to become ready.
     * @default false
     */
    skipAwait?: boolean;
}

/** A replicated in-memory cache (memcached or redis without persistence): a Deployment, a Service and a PodDisruptionBudget. */
export class ReplicatedCache extends pulumi.ComponentResource {
    /** The Deployment's name. */
    public readonly deploymentName: pulumi.Output<string>;
    /** The Service's name. */
    public readonly serviceName: pulumi.Output<string>;
    /** The Service's in-cluster DNS name. */
    public readonly serviceDnsName: pulumi.Output<string>;

    constructor(name: string, args: ReplicatedCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const libraryArgs = validatedArgs({ kind: "ReplicatedCache", name }, definedFields({ ...(args ?? {}) }) as LibraryArgs, (copy) => validateReplicatedCacheArgs(name, copy));
        super(providerType("ReplicatedCache"), name, {}, opts);
        const component = new LibraryReplicatedCache(name, libraryArgs, { parent: this, protect: opts?.protect, retainOnDelete: opts?.retainOnDelete });
        this.deploymentName = component.deploymentName;
        this.serviceName = component.serviceName;
        this.serviceDnsName = component.serviceDnsName;
        this.registerOutputs({ deploymentName: this.deploymentName, serviceDnsName: this.serviceDnsName, serviceName: this.serviceName });
    }
}
