import { NodeLocalStore } from "../components";
import { defineScenario, Scenario } from "./scenario";

/**
 * node-local-store: node-local persistent storage. A DaemonSet on the nodes labelled for
 * storage, each pod keeping its data in a directory of its node that outlives the pod,
 * plus a StorageClass for local PersistentVolumes on the same nodes.
 */

const KEYS = {
    nodeLabel: { description: "The node label (`key=value`) that marks storage nodes.", default: "stateful-stacks.io/storage=local" },
    tolerateTaint: { description: "A taint key (NoSchedule) of the storage nodes that the pods tolerate; `none` for no toleration.", default: "stateful-stacks.io/storage" },
    storeImage: { description: "Image of the per-node store (redis with an append-only file on the host directory).", default: "redis:7.4.6-alpine" },
    hostPath: { description: "Directory on each node that holds the data.", defaultText: "/var/lib/stateful-stacks/<namespace>/local-store" },
    localStorageClassName: { description: "Name of the StorageClass for local PersistentVolumes on the storage nodes.", default: "node-local" },
} as const;

/** Splits `key=value` into a one-entry node selector. */
export function parseNodeLabel(text: string): Record<string, string> {
    const at = text.indexOf("=");
    if (at <= 0) {
        throw new Error(`stack config "stateful-stacks:nodeLabel" must be key=value, such as "stateful-stacks.io/storage=local" (got "${text}")`);
    }
    return { [text.slice(0, at)]: text.slice(at + 1) };
}

// Host directories are refused by the baseline and restricted Pod Security Standards.
export const nodeLocalStore: Scenario = defineScenario("node-local-store", KEYS, "privileged", (settings, base) => {
    const taint = settings.string("tolerateTaint");
    const store = new NodeLocalStore(
        "local-store",
        {
            args: ["--appendonly", "yes", "--dir", "/data", "--port", "6379"],
            hostPath: settings.optionalString("hostPath"),
            image: settings.string("storeImage"),
            localStorageClass: { storageClassName: settings.string("localStorageClassName") },
            namespace: base.namespace,
            nodeSelector: parseNodeLabel(settings.string("nodeLabel")),
            ports: [{ name: "redis", port: 6379 }],
            skipAwait: base.skipAwait,
            tolerations: taint === "none" ? [] : [{ effect: "NoSchedule", key: taint, operator: "Exists" }],
        },
        base.opts,
    );
    return {
        daemonSetName: store.daemonSetName,
        headlessServiceName: store.headlessServiceName,
        hostPath: store.hostPath,
        namespace: base.namespace,
        peerDnsName: store.peerDnsName,
        storageClassName: store.storageClassName ?? null,
    };
});
