import { EbsStorageClass, podDnsNames, StatefulWorkload, StatefulWorkloadArgs, statefulWorkloadNames } from "../components";
import { defineScenario, Scenario } from "./scenario";

/**
 * zookeeper-ensemble: a quorum that must see itself to become ready. Pods start in
 * parallel, each takes its id (1..n) from its ordinal, the server list is the pods' stable
 * DNS names, data and transaction log live on separate gp3 volumes, at most one member is
 * disrupted at a time, and members are required to spread across zones.
 */

const KEYS = {
    zookeeperImage: { description: "ZooKeeper image (the official image: ZOO_* settings, runs as uid 1000).", default: "zookeeper:3.9.3" },
    replicas: { description: "Ensemble members: 3, 5 or 7 (an odd number keeps a majority).", default: 3 },
    dataSize: { description: "Size of each member's snapshot volume.", default: "10Gi" },
    datalogSize: { description: "Size of each member's transaction-log volume.", default: "10Gi" },
} as const;

/** Ports of a member: clients, followers to the leader, leader election. */
export const ZOOKEEPER_PORTS = { client: 2181, election: 3888, follower: 2888 } as const;

/** Where the pod's id (ordinal + 1) is written by the workload's ordinal init container. */
export const MYID_FILE = "/var/run/pod-ordinal/myid";

/** The `ZOO_SERVERS` value: `server.<i+1>=<dns>:2888:3888;2181` for each member, space-separated. */
export function zooServers(dnsNames: readonly string[]): string {
    return dnsNames.map((dns, i) => `server.${i + 1}=${dns}:${ZOOKEEPER_PORTS.follower}:${ZOOKEEPER_PORTS.election};${ZOOKEEPER_PORTS.client}`).join(" ");
}

export const zookeeperEnsemble: Scenario = defineScenario("zookeeper-ensemble", KEYS, "restricted", (settings, base) => {
    const replicas = settings.integer("replicas", 3, 7);
    if (replicas % 2 === 0) {
        throw new Error(`stack config "stateful-stacks:replicas" must be odd (3, 5 or 7) so the ensemble keeps a majority (got ${replicas})`);
    }
    const gp3 = new EbsStorageClass("zookeeper-gp3", { storageClassName: "zookeeper-gp3", volumeType: "gp3" }, base.opts);

    const name = "zookeeper";
    // The server list names every member by the DNS name the workload gives it; the
    // same pure function computes the component's `podDnsNames` output.
    const members = podDnsNames(statefulWorkloadNames(name, {}), replicas, base.namespace);
    const isServing = { exec: { command: ["zkServer.sh", "status"] } };
    const args: StatefulWorkloadArgs = {
        command: ["sh", "-c", `ZOO_MY_ID="$(cat ${MYID_FILE})" exec /docker-entrypoint.sh zkServer.sh start-foreground`],
        disruptionBudget: { maxUnavailable: 1 },
        env: {
            ZOO_4LW_COMMANDS_WHITELIST: "srvr,ruok",
            ZOO_CFG_EXTRA: "quorumListenOnAllIPs=true",
            ZOO_DATA_DIR: "/data",
            ZOO_DATA_LOG_DIR: "/datalog",
            ZOO_SERVERS: zooServers(members),
            ZOO_STANDALONE_ENABLED: "false",
        },
        image: settings.string("zookeeperImage"),
        livenessProbe: { failureThreshold: 6, periodSeconds: 20, tcpSocket: { port: "client" } },
        namespace: base.namespace,
        ordinalEnvVar: { file: MYID_FILE, name: "ZK_ORDINAL", offset: 1 },
        podManagementPolicy: "Parallel",
        ports: [
            { name: "client", port: ZOOKEEPER_PORTS.client },
            { name: "follower", port: ZOOKEEPER_PORTS.follower },
            { name: "election", port: ZOOKEEPER_PORTS.election },
        ],
        readinessProbe: { ...isServing, periodSeconds: 10, timeoutSeconds: 5 },
        replicas,
        resources: { limits: { memory: "1Gi" }, requests: { cpu: "100m", memory: "512Mi" } },
        skipAwait: base.skipAwait,
        spread: { hosts: "required", zones: "required" },
        volumes: [
            { mountPath: "/data", name: "data", size: settings.string("dataSize"), storageClass: gp3 },
            { mountPath: "/datalog", name: "datalog", size: settings.string("datalogSize"), storageClass: gp3 },
        ],
    };
    const zookeeper = new StatefulWorkload(name, args, base.opts);

    return {
        claimNames: zookeeper.claimNames,
        clientServiceName: zookeeper.clientServiceName!,
        connectString: zookeeper.podDnsNames.apply((names) => names.map((n) => `${n}:${ZOOKEEPER_PORTS.client}`).join(",")),
        headlessServiceName: zookeeper.headlessServiceName,
        namespace: base.namespace,
        podDnsNames: zookeeper.podDnsNames,
        storageClassName: gp3.storageClassName,
    };
});
