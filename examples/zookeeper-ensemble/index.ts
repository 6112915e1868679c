import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EbsStorageClass, podDnsNames, StatefulWorkload, statefulWorkloadNames } from "stateful-stacks";

// A ZooKeeper ensemble: members start in parallel, each takes its id (1..n) from its pod
// ordinal, and the server list names every member by the stable DNS name the workload
// gives it, computed before anything is deployed.

const config = new pulumi.Config();
const namespace = config.get("namespace") ?? "coord";
const replicas = config.getNumber("replicas") ?? 3;
if (![3, 5, 7].includes(replicas)) {
    throw new Error(`config "replicas" must be 3, 5 or 7: an odd ensemble keeps a majority (got ${replicas})`);
}

const ns = new k8s.core.v1.Namespace(
    namespace,
    { metadata: { name: namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    { retainOnDelete: true },
);
const cluster = new k8s.Provider("cluster", { namespace: ns.metadata.name });
const opts = { providers: { kubernetes: cluster } };

const ports = { client: 2181, follower: 2888, election: 3888 };
const myidFile = "/var/run/pod-ordinal/myid";
const name = "zk";
const members = podDnsNames(statefulWorkloadNames(name, {}), replicas, namespace);
const servers = members.map((dns, i) => `server.${i + 1}=${dns}:${ports.follower}:${ports.election};${ports.client}`).join(" ");

const gp3 = new EbsStorageClass("zk-gp3", { volumeType: "gp3" }, opts);
const zk = new StatefulWorkload(
    name,
    {
        namespace,
        image: "zookeeper:3.9.3",
        replicas,
        podManagementPolicy: "Parallel",
        command: ["sh", "-c", `ZOO_MY_ID="$(cat ${myidFile})" exec /docker-entrypoint.sh zkServer.sh start-foreground`],
        ordinalEnvVar: { name: "ZK_ORDINAL", offset: 1, file: myidFile },
        env: {
            ZOO_4LW_COMMANDS_WHITELIST: "srvr,ruok",
            ZOO_CFG_EXTRA: "quorumListenOnAllIPs=true",
            ZOO_DATA_DIR: "/data",
            ZOO_DATA_LOG_DIR: "/datalog",
            ZOO_SERVERS: servers,
            ZOO_STANDALONE_ENABLED: "false",
        },
        ports: [
            { name: "client", port: ports.client },
            { name: "follower", port: ports.follower },
            { name: "election", port: ports.election },
        ],
        volumes: [
            { name: "data", mountPath: "/data", size: "10Gi", storageClass: gp3 },
            { name: "datalog", mountPath: "/datalog", size: "10Gi", storageClass: gp3 },
        ],
        readinessProbe: { exec: { command: ["zkServer.sh", "status"] }, periodSeconds: 10, timeoutSeconds: 5 },
        resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        disruptionBudget: { maxUnavailable: 1 },
        spread: { zones: "required", hosts: "required" },
    },
    opts,
);

export const connectString = zk.podDnsNames.apply((names) => names.map((n) => `${n}:${ports.client}`).join(","));
export const claimNames = zk.claimNames;
