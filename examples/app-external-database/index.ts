import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    ExternalStore,
    isDnsName,
    ReplicatedCache,
    restrictedContainerSecurityContext,
    restrictedPodSecurityContext,
    selectorLabels,
    standardLabels,
    withExternalStores,
} from "stateful-stacks";

// An application whose state lives outside the cluster: a PostgreSQL database (RDS or
// on-prem) reached through an ExternalStore, and sessions in a replicated in-memory cache.

const config = new pulumi.Config();
const namespace = config.get("namespace") ?? "shop";
const dbHost = config.require("dbHost");

const ns = new k8s.core.v1.Namespace(
    namespace,
    { metadata: { name: namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    { retainOnDelete: true },
);
const cluster = new k8s.Provider("cluster", { namespace: ns.metadata.name });
const opts = { providers: { kubernetes: cluster } };

const db = new ExternalStore(
    "orders-db",
    {
        namespace,
        engine: "postgresql",
        hosts: [dbHost],
        database: "orders",
        options: { sslmode: "verify-full" },
        username: "orders_app",
        password: config.requireSecret("dbPassword"),
        externalName: isDnsName(dbHost) ? dbHost : undefined,
    },
    opts,
);

const sessions = new ReplicatedCache("sessions", { namespace, engine: "redis", replicas: 3, memory: "256Mi" }, opts);

const labels = standardLabels("orders-api", "application");
const api = new k8s.apps.v1.Deployment(
    "orders-api",
    {
        metadata: { name: "orders-api", namespace, labels },
        spec: {
            replicas: 2,
            selector: { matchLabels: selectorLabels("orders-api") },
            // DB_HOSTS, DB_PORT, DB_NAME, DB_USERNAME, DB_PASSWORD … from the store's ConfigMap
            // and Secret, a checksum that rolls the pods when they change, and an init
            // container that waits until the database accepts connections.
            template: withExternalStores(
                {
                    metadata: { labels },
                    spec: {
                        automountServiceAccountToken: false,
                        securityContext: restrictedPodSecurityContext(),
                        containers: [
                            {
                                name: "api",
                                image: "ghcr.io/acme/orders-api:1.4.2",
                                env: [{ name: "SESSION_CACHE", value: sessions.serviceDnsName }],
                                ports: [{ name: "http", containerPort: 8080 }],
                                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                                securityContext: restrictedContainerSecurityContext(),
                            },
                        ],
                    },
                },
                [db],
                { namespace },
            ),
        },
    },
    { provider: cluster },
);

export const deploymentName = api.metadata.name;
export const dbServiceDnsName = db.serviceDnsName;
export const sessionCache = sessions.serviceDnsName;
