import * as k8s from "@pulumi/kubernetes";
import {
    ExternalStore,
    ExternalStoreEngine,
    EXTERNAL_STORE_MIN_CHECKSUM_KEY,
    isDnsName,
    restrictedPodSecurityContext,
    selectorLabels,
    standardLabels,
    withExternalStores,
} from "../components";
import { webServerContainer } from "./base";
import { defineScenario, Scenario } from "./scenario";

/**
 * external-database: an application Deployment that reaches a database outside the
 * cluster (RDS, an on-premises cluster) through an ExternalStore: a ConfigMap with hosts,
 * port and database, a Secret with the credentials, an ExternalName Service with a stable
 * in-cluster name, and an init container that waits until the database accepts connections.
 */

const KEYS = {
    dbEngine: { description: "Database engine (postgresql, mysql, ...); sets the default port.", default: "postgresql" },
    dbHosts: {
        description: "Database hosts, a list or comma-separated: IP addresses (`10.0.12.31,10.0.44.17`) or a DNS name such as an RDS endpoint.",
        default: ["orders.cluster-c9akciq32.us-east-1.rds.amazonaws.com"],
    },
    dbPort: { description: "Database port.", defaultText: "the engine's port (5432 for postgresql)" },
    dbName: { description: "Database name.", default: "orders" },
    dbUser: { description: "Database user.", default: "orders_app" },
    dbPassword: { description: "Database password (`pulumi config set --secret dbPassword ...`).", secret: true },
    storeChecksumKey: {
        description:
            "Key of the ExternalStore's checksum annotation (HMAC-SHA256; at least 32 characters, `openssl rand -base64 32`), so that the annotation on the pods reveals nothing about the password (`pulumi config set --secret storeChecksumKey ...`).",
        defaultText: "none: the checksum is PBKDF2 with a public salt, an offline password-guessing oracle for readers of pod specs (a warning says so)",
        secret: true,
    },
    dbExternalName: {
        description: "DNS name the ExternalName Service points at.",
        defaultText: "the first host when it is a DNS name; no Service when the hosts are IP addresses",
    },
    appImage: { description: "Image of the application.", default: "nginxinc/nginx-unprivileged:1.27-alpine" },
    appReplicas: { description: "Application replicas.", default: 2 },
} as const;

export const externalDatabase: Scenario = defineScenario("external-database", KEYS, "restricted", (settings, base) => {
    const hosts = settings.list("dbHosts");
    const externalName = settings.optionalString("dbExternalName") ?? (hosts.length > 0 && isDnsName(hosts[0]) ? hosts[0] : undefined);
    const port = settings.optionalString("dbPort");

    const store = new ExternalStore(
        "orders-db",
        {
            checksumKey: settings.optionalSecret("storeChecksumKey", EXTERNAL_STORE_MIN_CHECKSUM_KEY),
            database: settings.string("dbName"),
            engine: settings.string("dbEngine") as ExternalStoreEngine,
            externalName,
            hosts,
            namespace: base.namespace,
            password: settings.secret("dbPassword"),
            port: port === undefined ? undefined : settings.integer("dbPort", 1, 65535),
            username: settings.string("dbUser"),
        },
        base.opts,
    );

    const labels = standardLabels("orders-api", "application");
    const selector = selectorLabels("orders-api");
    const template = withExternalStores(
        {
            metadata: { labels },
            spec: {
                automountServiceAccountToken: false,
                containers: [webServerContainer("app", settings.string("appImage"))],
                securityContext: restrictedPodSecurityContext(),
            },
        },
        [store],
        { namespace: base.namespace },
    );
    const deployment = new k8s.apps.v1.Deployment(
        "orders-api",
        {
            metadata: base.metadata({ labels, name: "orders-api", namespace: base.namespace }),
            spec: { replicas: settings.integer("appReplicas", 1, 100), selector: { matchLabels: selector }, template },
        },
        base.objectOpts,
    );

    return {
        appDeploymentName: deployment.metadata.name,
        configMapName: store.configMapName,
        dbServiceDnsName: store.serviceDnsName,
        namespace: base.namespace,
        secretName: store.secretName,
        storeChecksum: store.checksum,
    };
});
