import * as pulumi from "@pulumi/pulumi";
import { validatedArgs } from "../common/checks";
import { ExternalStore as LibraryExternalStore, ExternalStoreArgs as LibraryArgs, validateExternalStoreArgs } from "../external/external-store";
import { definedFields } from "./convert";
import { ExternalStoreEngine } from "./enums";
import { externalStores, providerType } from "./registry";

/** Keys of an existing Secret that hold the credentials. */
export interface ExistingSecretKeys {
    /**
     * The key holding the user name.
     * @default "username"
     */
    username?: string;
    /**
     * The key holding the password.
     * @default "password"
     */
    password?: string;
}

/** Arguments of the ExternalStore component as other languages see it (the library's ExternalStoreArgs). */
export interface ExternalStoreArgs {
    /** The namespace the ConfigMap, Secret and Service go to (it must exist). */
    namespace: string;
    /** The store's engine. */
    engine: ExternalStoreEngine;
    /** Host names or IP addresses of the store. */
    hosts: string[];
    /**
     * The port.
     * @default the engine's usual port
     */
    port?: number;
    /**
     * The database name.
     * @default none
     */
    database?: string;
    /**
     * Non-secret connection options.
     * @default none
     */
    options?: Record<string, string>;
    /**
     * Secret connection options (kept in the Secret).
     * @default none
     */
    secretOptions?: Record<string, pulumi.Input<string>>;
    /**
     * The user name (kept in the Secret); not with `existingSecretName`.
     * @default none
     */
    username?: pulumi.Input<string>;
    /**
     * The password (kept in the Secret, pass it as a secret); not with `existingSecretName`.
     * @default none
     */
    password?: pulumi.Input<string>;
    /**
     * An existing Secret holding the credentials, instead of `username`/`password`.
     * @default none: the component creates the Secret
     */
    existingSecretName?: string;
    /**
     * Keys of `existingSecretName`.
     * @default "username" and "password"
     */
    existingSecretKeys?: ExistingSecretKeys;
    /**
     * Create an ExternalName Service of this name for the (single, DNS-named) host.
     * @default none
     */
    externalName?: string;
    /**
     * Prefix of the environment variables wired into workloads.
     * @default from the component name
     */
    envPrefix?: string;
}

/**
 * Connection data for state outside the cluster (a managed database, a cache): a ConfigMap
 * with the non-secret parts, a Secret with the credentials, optionally an ExternalName
 * Service; StatefulWorkloads name it in `externalStores` to get it wired into their pods.
 */
export class ExternalStore extends pulumi.ComponentResource {
    /** The ConfigMap's name. */
    public readonly configMapName: pulumi.Output<string>;
    /** The Secret's name. */
    public readonly secretName: pulumi.Output<string>;
    /** A checksum of the connection data and credentials, for pod annotations. */
    public readonly checksum: pulumi.Output<string>;

    constructor(name: string, args: ExternalStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        const libraryArgs = validatedArgs({ kind: "ExternalStore", name }, definedFields({ ...(args ?? {}) }) as unknown as LibraryArgs, (copy) => validateExternalStoreArgs(name, copy));
        super(providerType("ExternalStore"), name, {}, opts);
        const component = new LibraryExternalStore(name, libraryArgs, { parent: this, protect: opts?.protect, retainOnDelete: opts?.retainOnDelete });
        externalStores.set(name, component);
        this.configMapName = component.configMapName;
        this.secretName = component.secretName;
        this.checksum = component.checksum;
        this.registerOutputs({ checksum: this.checksum, configMapName: this.configMapName, secretName: this.secretName });
    }
}
