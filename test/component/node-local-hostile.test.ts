import * as assert from "assert";
import * as fc from "fast-check";
import { NodeLocalStore, NodeLocalStoreArgs } from "../../components";
import { assertHostileProperty, extraKeys, fieldsOf, hostileValue, PLANTED } from "./node-local-hostile-values";

const hostileOr = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: valid, weight: 15 }, { arbitrary: hostileValue, weight: 1 });

const storeArgs: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: hostileValue, weight: 1 },
    {
        arbitrary: fc
            .tuple(
                fieldsOf({
                    args: fc.array(fc.constantFrom("server", "/data", "--port", "9000"), { maxLength: 3 }),
                    command: fc.constantFrom(["minio"], ["sh", "-c", "exec store"]),
                    configMapEnv: fc.constantFrom({ MODE: { configMapName: "store-settings", key: "mode" } }, { REGION: { configMapName: "store-settings", key: "region", optional: true } }),
                    cpu: fc.constantFrom("50m", "2"),
                    env: fc.oneof(
                        { arbitrary: fc.dictionary(fc.constantFrom("MODE", "REGION", "LOG_LEVEL"), fc.constantFrom("a", "eu-west-1", "debug"), { maxKeys: 3 }), weight: 6 },
                        { arbitrary: fc.dictionary(fc.constantFrom("MODE", "REGION"), hostileValue, { maxKeys: 2 }), weight: 1 },
                        { arbitrary: fc.constantFrom({ DB_PASSWORD: PLANTED }, { REDIS_AUTH: PLANTED }, { DATABASE_URL: `postgres://app:${PLANTED}@db/x` }, [{ name: "DB_PASS", value: PLANTED }]), weight: 1 },
                    ),
                    hostPath: fc.oneof(
                        { arbitrary: fc.constantFrom("/mnt/disks/nvme0/store", "/data/store/", "/srv//store", "/var/lib/stateful-stacks/storage/x"), weight: 4 },
                        { arbitrary: fc.constantFrom("/opt/cni/bin", "/var/lib/etcd", "/home/ec2-user/.ssh", "/var/spool/cron", "/mnt/../etc", "/proc/1", "/dev", "/sys/kernel"), weight: 1 },
                    ),
                    localStorageClass: fc.constantFrom(true, false, { storageClassName: "node-local" }, {}),
                    memory: fc.constantFrom("128Mi", "1Gi"),
                    mountPath: fc.constantFrom("/data", "/var/lib/store"),
                    nodeSelector: fc.constantFrom({ "stateful-stacks.io/storage": "local" }, { disk: "nvme", zone: "" }),
                    ports: fc.oneof(
                        { arbitrary: fc.constantFrom([], [{ name: "api", port: 9000 }], [{ name: "api", port: 9000 }, { name: "peer", port: 9001 }]), weight: 6 },
                        { arbitrary: fc.array(hostileOr(fc.record({ name: fc.constantFrom("api", "peer"), port: fc.integer({ min: 1, max: 65535 }) })), { maxLength: 2 }), weight: 1 },
                    ),
                    prepareHostPath: fc.boolean(),
                    secretEnv: fc.constantFrom({ ROOT_PASSWORD: { key: "password", secretName: "store-root" } }, { TOKEN: { key: "token", optional: true, secretName: "store-token" } }),
                    skipAwait: fc.boolean(),
                    securityContext: hostileOr(fc.constantFrom({ pod: { fsGroup: 3000, runAsUser: 2000 } }, { container: { readOnlyRootFilesystem: true } })),
                    livenessProbe: hostileOr(fc.constantFrom({ httpGet: { path: "/health", port: 9000 } }, { exec: { command: ["true"] } })),
                    resources: hostileOr(fc.constantFrom({ limits: { memory: "1Gi" } }, { limits: { cpu: "2", memory: "512Mi" }, requests: { memory: "512Mi" } })),
                    terminationGracePeriodSeconds: hostileOr(fc.constantFrom(30, 0)),
                    tolerations: fc.array(
                        hostileOr(
                            fc.constantFrom(
                                { effect: "NoSchedule", key: "dedicated", value: "storage" },
                                { key: "stateful-stacks.io/storage", operator: "Exists" },
                                { effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: 300 },
                            ),
                        ),
                        { maxLength: 2 },
                    ),
                }),
                hostileOr(fc.constantFrom("storage", "blobs-ns")),
                hostileOr(fc.constantFrom("minio/minio:RELEASE.2025-09-07T16-13-09Z", "redis:7.4.6-alpine")),
                hostileOr(fc.constantFrom({ "stateful-stacks.io/storage": "local" })),
                extraKeys,
                fc.integer({ min: 0, max: 9 }),
            )
            .map(([fields, namespace, image, nodeSelector, extra, dice]) => {
                // memory and cpu cannot be combined with resources; usually only one of them is given.
                const { memory, cpu, ...rest } = fields;
                const sizing = fields.resources === undefined || dice === 0 ? { cpu, memory } : {};
                return { image, namespace, nodeSelector, ...rest, ...sizing, ...extra };
            }),
        weight: 6,
    },
);

describe("NodeLocalStore under hostile input", () => {
    it("refuses with property paths and registers nothing, or renders schema-valid objects under an allowed host directory", async () => {
        await assertHostileProperty(
            "NodeLocalStore",
            storeArgs,
            2020,
            (args) => new NodeLocalStore("blobs", args as NodeLocalStoreArgs),
            (rec, store) => {
                const daemonSet = rec.get("kubernetes:apps/v1:DaemonSet", "blobs").inputs;
                const path: string = daemonSet.spec.template.spec.volumes[0].hostPath.path;
                assert.match(path, /^\/(mnt|data|srv|var\/lib\/stateful-stacks)\/[^/]/);
                assert.ok(!path.split("/").includes("..") && !path.includes("//") && !path.endsWith("/"), path);
                assert.strictEqual(store.hostPath, path);
            },
        );
    });
});
