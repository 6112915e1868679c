import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { validatedArgs } from "../common/checks";
import type { EnvFromSource, EnvVar } from "../common/kubernetes-types";
import { EXTERNAL_STORE_MIN_CHECKSUM_KEY, ExternalStoreArgs, ExternalStoreEngine } from "./external-store-args";
import { externalStoreChecksum, ExternalStoreChecksumInput, renderExternalStore } from "./external-store-render";
import { validateExternalStoreArgs } from "./external-store-validate";
import { dataChildOptions, disposableChildOptions } from "../common/options";

export {
    EXTERNAL_STORE_DEFAULT_PORTS,
    EXTERNAL_STORE_ENGINES,
    EXTERNAL_STORE_MAX_NAME,
    EXTERNAL_STORE_MIN_CHECKSUM_KEY,
    EXTERNAL_STORE_RESERVED_KEYS,
    SECRET_LOOKING_KEY,
} from "./external-store-args";
export type { ExistingSecretKeys, ExternalStoreArgs, ExternalStoreEngine } from "./external-store-args";
export {
    buildExternalStoreConfigData,
    buildExternalStoreEnv,
    buildExternalStoreEnvFrom,
    buildExternalStoreSecretData,
    externalStoreChecksum,
    externalStoreChecksumAnnotation,
    externalStoreNames,
    externalStorePort,
} from "./external-store-render";
export type { ExternalStoreChecksumInput, ExternalStoreNames } from "./external-store-render";
export { isDnsName, isHost, validateExternalStoreArgs } from "./external-store-validate";

/**
 * The warning an ExternalStore logs when it holds a password of its own and has no
 * `checksumKey`: its checksum annotation is then an offline guessing oracle.
 */
export function externalStoreUnkeyedWarning(name: string): string {
    return `ExternalStore "${name}": its checksum annotation (on every consuming pod template) is PBKDF2 over the credentials with a public salt, so whoever can read pod specs can test guessed passwords offline; give "checksumKey" (a secret of at least ${EXTERNAL_STORE_MIN_CHECKSUM_KEY} characters) to key it with HMAC-SHA256`;
}

/** The error of an ExternalStore whose `checksumKey`, given as an Output, turns out too short (the key is not shown). */
export function externalStoreShortKeyError(name: string): string {
    return `ExternalStore "${name}": checksumKey must be a string of at least ${EXTERNAL_STORE_MIN_CHECKSUM_KEY} characters (the value is secret and not shown)`;
}

/** Type token of {@link ExternalStore}. */
const EXTERNAL_STORE_TYPE = "stateful-stacks:external:ExternalStore";

/**
 * A database that lives outside the cluster, made reachable from pods: a ConfigMap with the
 * non-secret connection data, a Secret with the credentials (unless `existingSecretName`),
 * an optional ExternalName Service, and `env`/`envFrom`/`checksum` to wire into containers
 * (see `externalStoreWiring`). None of them holds data: they are ordinary children.
 */
export class ExternalStore extends pulumi.ComponentResource {
    /** The component name; also the name part of the checksum annotation. */
    public readonly storeName: string;
    public readonly namespace: string;
    public readonly engine: ExternalStoreEngine;
    public readonly hosts: readonly string[];
    public readonly port: number;
    public readonly envPrefix: string;
    public readonly configMapName: pulumi.Output<string>;
    public readonly secretName: pulumi.Output<string>;
    /** Env vars as configMapKeyRef/secretKeyRef, sorted by name. */
    public readonly env: pulumi.Output<EnvVar[]>;
    /** The ConfigMap as an envFrom source with `envPrefix`; credentials are only in `env`. */
    public readonly envFrom: pulumi.Output<EnvFromSource[]>;
    /**
     * A digest that changes whenever the store's data changes, the credentials included,
     * for a pod-template annotation that rolls the consuming pods; computed from the
     * ConfigMap's data, the ExternalName target, an existing Secret's name and keys and the
     * created Secret's data. Known when the program runs, so a preview shows the consumers
     * as updated. Not secret. With `checksumKey` it is an HMAC-SHA256 keyed with that
     * secret and reveals nothing about the password. Without it, it is PBKDF2 with a
     * public salt: a slow (20,000 rounds per guess) but real way for whoever reads pod specs
     * to test a guessed password offline, and the component logs a warning. With
     * `existingSecretName` no credential goes into it (and rotating that Secret does not
     * change it).
     */
    public readonly checksum: pulumi.Output<string>;
    /** `<name>.<namespace>.svc.cluster.local` when `externalName` is given, otherwise undefined. */
    public readonly serviceDnsName: pulumi.Output<string | undefined>;
    /**
     * The names of the variables in {@link env}, known at construction (`DB_HOSTS`,
     * `DB_PASSWORD`, …), so that a workload can refuse setting one of them itself.
     */
    public readonly envNames: readonly string[];
    public readonly configMap: k8s.core.v1.ConfigMap;
    public readonly secret?: k8s.core.v1.Secret;
    public readonly service?: k8s.core.v1.Service;

    constructor(name: string, given: ExternalStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        const args = validatedArgs({ kind: "ExternalStore", name }, given, (copy) => validateExternalStoreArgs(name, copy));
        super(EXTERNAL_STORE_TYPE, name, {}, opts);

        const rendered = renderExternalStore(name, args);
        const { resolved } = rendered;
        this.storeName = name;
        this.namespace = resolved.namespace;
        this.engine = resolved.engine;
        this.hosts = resolved.hosts;
        this.port = resolved.port;
        this.envPrefix = resolved.envPrefix;

        // The ConfigMap and Service are rebuilt from the arguments: never protected. The
        // Secret holds the credentials, which the package's policy counts as data: it keeps
        // the component's protect and retainOnDelete.
        this.configMap = new k8s.core.v1.ConfigMap(`${name}-connection`, rendered.configMap, disposableChildOptions(this));
        if (rendered.secret) {
            this.secret = new k8s.core.v1.Secret(
                `${name}-credentials`,
                { ...rendered.secret, stringData: pulumi.secret(rendered.secret.stringData) },
                dataChildOptions(this, opts, { additionalSecretOutputs: ["data", "stringData"] }),
            );
        }
        if (rendered.service) {
            this.service = new k8s.core.v1.Service(name, rendered.service, disposableChildOptions(this));
        }

        this.configMapName = this.configMap.metadata.name;
        this.secretName = this.secret ? this.secret.metadata.name : pulumi.output(resolved.names.secretName);
        this.env = pulumi.output(rendered.env);
        this.envNames = Object.freeze(rendered.env.map((v) => v.name).filter((n): n is string => typeof n === "string"));
        this.envFrom = pulumi.output(rendered.envFrom);
        this.serviceDnsName = pulumi.output(rendered.serviceDnsName);
        const secretData: pulumi.Output<ExternalStoreChecksumInput["secret"]> = rendered.secret
            ? (pulumi.output(rendered.secret.stringData) as pulumi.Output<Record<string, string>>)
            : pulumi.output(null as ExternalStoreChecksumInput["secret"]);
        const key: pulumi.Output<string | undefined> = pulumi.output(resolved.checksumKey);
        this.checksum = pulumi.unsecret(
            pulumi.all([secretData, key]).apply(([secret, k]) => {
                // An Output key is read only now: one too short keys nothing, so it fails the program.
                if (k !== undefined && (typeof k !== "string" || k.length < EXTERNAL_STORE_MIN_CHECKSUM_KEY)) {
                    throw new Error(externalStoreShortKeyError(name));
                }
                return externalStoreChecksum(name, resolved.namespace, { ...rendered.checksumBase, secret }, k);
            }),
        );
        if (rendered.secret && resolved.checksumKey === undefined) {
            pulumi.log.warn(externalStoreUnkeyedWarning(name), this);
        }

        this.registerOutputs({
            checksum: this.checksum,
            configMapName: this.configMapName,
            env: this.env,
            envFrom: this.envFrom,
            secretName: this.secretName,
            serviceDnsName: this.serviceDnsName,
        });
    }
}
