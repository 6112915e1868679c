import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { validatedArgs } from "../common/checks";
import { ReplicatedCacheArgs } from "./replicated-cache-args";
import { renderReplicatedCacheSpecs, replicatedCacheMetadata, resolveReplicatedCache } from "./replicated-cache-render";
import { validateReplicatedCacheArgs } from "./replicated-cache-validate";
import { disposableChildOptions } from "../common/options";

export { CACHE_ENGINE_PRESETS } from "./replicated-cache-args";
export type { CacheEngine, CacheMemoryVolume, ReplicatedCacheArgs } from "./replicated-cache-args";
export { buildReplicatedCacheSpecs, defaultCacheArgs, replicatedCacheMetadata } from "./replicated-cache-render";
export type { ReplicatedCacheSpecs } from "./replicated-cache-render";
export { validateReplicatedCacheArgs } from "./replicated-cache-validate";

/**
 * Redundant in-memory state: a Deployment of at least two cache servers, never two on one
 * node, spread over zones, behind a ClusterIP Service, with a PodDisruptionBudget. Holds no
 * persistent volumes.
 */
export class ReplicatedCache extends pulumi.ComponentResource {
    public readonly deploymentName: pulumi.Output<string>;
    public readonly serviceName: pulumi.Output<string>;
    /** `<name>.<namespace>.svc.cluster.local`. */
    public readonly serviceDnsName: pulumi.Output<string>;
    public readonly port: number;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    public readonly disruptionBudget: k8s.policy.v1.PodDisruptionBudget;

    /** Refuses invalid arguments (every problem at once) before anything is registered. */
    constructor(name: string, given: ReplicatedCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedArgs({ kind: "ReplicatedCache", name }, given, (copy) => validateReplicatedCacheArgs(name, copy));
        const cache = resolveReplicatedCache(name, args);
        const specs = renderReplicatedCacheSpecs(cache);
        super("stateful-stacks:workload:ReplicatedCache", name, {}, opts);

        this.port = cache.port;
        this.deployment = new k8s.apps.v1.Deployment(name, { metadata: replicatedCacheMetadata(name, cache, "", true), spec: specs.deployment }, disposableChildOptions(this));
        this.service = new k8s.core.v1.Service(name, { metadata: replicatedCacheMetadata(name, cache, "", true), spec: specs.service }, disposableChildOptions(this));
        this.disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            { metadata: replicatedCacheMetadata(name, cache, "-pdb", false), spec: specs.disruptionBudget },
            disposableChildOptions(this),
        );

        this.deploymentName = this.deployment.metadata.name;
        this.serviceName = this.service.metadata.name;
        this.serviceDnsName = pulumi.output(`${name}.${cache.namespace}.svc.cluster.local`);
        this.registerOutputs({ deploymentName: this.deploymentName, serviceDnsName: this.serviceDnsName, serviceName: this.serviceName });
    }
}
