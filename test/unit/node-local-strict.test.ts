import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EXPECT_CHECK } from "../../components/common/checks";
import { EXPECT } from "../../components/common/kubernetes";
import { buildNodeLocalStoreSpecs, NodeLocalStoreArgs, validateNodeLocalStoreArgs } from "../../components/workload/node-local-store";
import { HOST_PATH, MOUNT_PATH } from "./node-local-store.test";
import { PLANTED_CREDENTIAL } from "./cache-strict.test";
import { COMMAND_LIST, itRefusesEach, StrictCase } from "../support/problems";

/**
 * Strict validation of NodeLocalStore: host directories only from the allowlist, the
 * record-shaped env (the list form refused), credentials refused without being shown, and
 * typos, holes, Outputs and out-of-range values refused with an exact message.
 */

const BASE = { image: "minio/minio:RELEASE.2025-09-07T16-13-09Z", namespace: "storage", nodeSelector: { "stateful-stacks.io/storage": "local" } };
const LIST_ENV = 'must map variable names to values, such as { MINIO_REGION: "eu-west-1" }: the list form [{ name, value }] is deprecated and refused; write each entry as NAME: "value"';
const KERNEL = EXPECT_CHECK.systemPath;
const NOT_FOR_DAEMON_SET = "does not apply to a NodeLocalStore: its DaemonSet runs one pod on each selected node, and kubectl drain passes over DaemonSet pods";

function credentialName(name: string): string {
    return `must not be a literal value: ${name} names a credential, and credentials live only in Secrets; reference one with secretEnv.${name}: { secretName, key }`;
}

function credentialValue(name: string): string {
    return `must not be a literal value: the value holds a password (a URL's user:password@ or a password= parameter), and credentials live only in Secrets; reference one with secretEnv.${name}: { secretName, key }`;
}

/** The host directories the issue found accepted (and chowned by the init container). */
export const DANGEROUS_HOST_PATHS = ["/opt/cni/bin", "/var/lib/etcd", "/var/lib/cloud/scripts/per-boot", "/home/ec2-user/.ssh", "/var/spool/cron", "/proc/1/root", "/dev/sda", "/sys/fs/cgroup", "/mnt", "/var/lib/stateful-stacks"];

const CREDENTIAL_NAMES = ["PGPASSWORD", "MYSQL_PWD", "DB_PASS", "PGPASS", "REDIS_AUTH", "JWT_SIGNING_KEY", "ENCRYPTION_KEY", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN"];

export const NODE_LOCAL_STRICT_CASES: readonly StrictCase[] = [
    ...DANGEROUS_HOST_PATHS.map((hostPath): StrictCase => ({ title: `host path ${hostPath}`, args: { hostPath }, problems: [["hostPath", HOST_PATH, JSON.stringify(hostPath)]] })),
    { title: "host path /mnt/../etc", args: { hostPath: "/mnt/../etc" }, problems: [["hostPath", `${HOST_PATH}; it resolves to "/etc"`, '"/mnt/../etc"']] },
    { title: "host path /data/../../proc/", args: { hostPath: "/data/../../proc/" }, problems: [["hostPath", `${HOST_PATH}; it resolves to "/proc"`, '"/data/../../proc/"']] },
    { title: "host path with a space", args: { hostPath: "/mnt/disk one" }, problems: [["hostPath", "must be a path without whitespace, control characters or ':'", '"/mnt/disk one"']] },
    { title: "host path as an Output", args: { hostPath: pulumi.output("/mnt/x") }, problems: [["hostPath", EXPECT_CHECK.deferred, "an Output"]] },
    { title: "mount path over /dev", args: { mountPath: "/dev/shm" }, problems: [["mountPath", KERNEL, '"/dev/shm"']] },
    { title: "mount path with ..", args: { mountPath: "/data/../etc" }, problems: [["mountPath", MOUNT_PATH, '"/data/../etc"']] },
    ...CREDENTIAL_NAMES.map((name): StrictCase => ({ title: `a literal ${name}`, args: { env: { [name]: PLANTED_CREDENTIAL } }, problems: [[`env.${name}`, credentialName(name), "[secret]"]] })),
    { title: "a numeric password (never printed)", args: { env: { DB_PASSWORD: 73510296 } }, problems: [["env.DB_PASSWORD", credentialName("DB_PASSWORD"), "[secret]"]] },
    { title: "a connection string with userinfo", args: { env: { DATABASE_URL: `postgres://app:${PLANTED_CREDENTIAL}@db/x` } }, problems: [["env.DATABASE_URL", credentialValue("DATABASE_URL"), "[secret]"]] },
    { title: "a JDBC URL with password=", args: { env: { JDBC_URL: `jdbc:postgresql://db:5432/x?user=app&password=${PLANTED_CREDENTIAL}` } }, problems: [["env.JDBC_URL", credentialValue("JDBC_URL"), "[secret]"]] },
    {
        title: "a secret Output in env",
        args: { env: { PGDATA: pulumi.secret(PLANTED_CREDENTIAL) } },
        problems: [["env.PGDATA", "must be a plain string, not an Output or a Promise: whether it holds a secret is only known after the pod spec is sent, and a secret must never be rendered into it; put a computed setting in a ConfigMap and read it with configMapEnv.PGDATA, a secret in a Secret with secretEnv.PGDATA", "an Output"]],
    },
    { title: "the deprecated list-shaped env, a credential inside", args: { env: [{ name: "DB_PASSWORD", value: PLANTED_CREDENTIAL }] }, problems: [["env", LIST_ENV, "a list of 1 entry"]] },
    { title: "env as a string", args: { env: "MODE=a" }, problems: [["env", "must be an object mapping variable names to values", '"MODE=a"']] },
    { title: "a credential where a Secret reference belongs", args: { secretEnv: { DB_PASSWORD: PLANTED_CREDENTIAL } }, problems: [["secretEnv.DB_PASSWORD", "must be { secretName, key, optional? }", "[secret]"]] },
    {
        title: "a typo in a ConfigMap reference",
        args: { configMapEnv: { MODE: { configMapName: "settings", key: "mode", optinal: true } } },
        problems: [["configMapEnv.MODE.optinal", 'is not a known field; did you mean "optional"?', "true"]],
    },
    { title: "a typo of hostPath", args: { hostpath: "/mnt/x" }, problems: [["hostpath", 'is not a known field; did you mean "hostPath"?', '"/mnt/x"']] },
    { title: "a typo of nodeSelector", args: { nodeSelecter: { disk: "ssd" } }, problems: [["nodeSelecter", 'is not a known field; did you mean "nodeSelector"?', '{"disk":"ssd"}']] },
    { title: "an unknown argument", args: { replicas: 3 }, problems: [["replicas", "is not a known field", "3"]] },
    { title: "the whole args as an Output", whole: () => pulumi.output(BASE), problems: [["args", EXPECT_CHECK.deferredArgs, "an Output"]] },
    { title: "the whole args undefined", whole: () => undefined, problems: [["args", "must be an object", "undefined"]] },
    { title: "command as one string", args: { command: "minio" }, problems: [["command", COMMAND_LIST, '"minio"']] },
    { title: "args with a number", args: { args: ["--port", 9000] }, problems: [["args[1]", "must be a string", "9000"]] },
    { title: "ports with null", args: { ports: [null] }, problems: [["ports[0]", "must not be null or undefined", "null"]] },
    { title: "ports with a hole", args: { ports: [, { name: "api", port: 9000 }] }, problems: [["ports[0]", EXPECT_CHECK.hole, "undefined"]] },
    { title: "a port without a name or number", args: { ports: [{}] }, problems: [["ports[0].name", EXPECT.portName, "undefined"], ["ports[0].port", EXPECT.port, "undefined"]] },
    { title: "ports as an object", args: { ports: {} }, problems: [["ports", "must be a list of { name, port, targetPort?, protocol? }", "{}"]] },
    { title: "a port with an unknown field", args: { ports: [{ name: "api", port: 9000, portName: "x" }] }, problems: [["ports[0].portName", 'is not a known field; did you mean "name"?', '"x"']] },
    { title: "the same port twice", args: { ports: [{ name: "api", port: 9000 }, { name: "admin", port: 9000 }] }, problems: [["ports[1].port", "must be unique per protocol among the ports: the Services cannot expose 9000/TCP twice", "9000"]] },
    {
        title: "a toleration with a typo of key",
        args: { tolerations: [{ kye: "dedicated", value: "storage" }] },
        problems: [
            ["tolerations[0].kye", 'is not a known field; did you mean "key"?', '"dedicated"'],
        ],
    },
    { title: "tolerationSeconds beyond int32", args: { tolerations: [{ effect: "NoExecute", key: "k", tolerationSeconds: 2 ** 31 }] }, problems: [["tolerations[0].tolerationSeconds", "must be an integer from 0 to 2147483647", "2147483648"]] },
    { title: "tolerations as a string", args: { tolerations: "dedicated" }, problems: [["tolerations", "must be a list", '"dedicated"']] },
    { title: "a node selector as an Output", args: { nodeSelector: pulumi.output({ disk: "ssd" }) }, problems: [["nodeSelector", EXPECT_CHECK.deferred, "an Output"]] },
    { title: "a node selector value as a number", args: { nodeSelector: { disk: 5 } }, problems: [["nodeSelector.disk", EXPECT_CHECK.labelValue, "5"]] },
    { title: "an image with a trailing space", args: { image: "minio/minio:latest " }, problems: [["image", EXPECT_CHECK.image, '"minio/minio:latest "']] },
    { title: "an image as a secret Output", args: { image: pulumi.secret(PLANTED_CREDENTIAL) }, problems: [["image", EXPECT_CHECK.deferred, "an Output"]] },
    { title: "spread (not for a DaemonSet)", args: { spread: { zones: "required" } }, problems: [["spread", NOT_FOR_DAEMON_SET, '{"zones":"required"}']] },
    { title: "a disruption budget (not for a DaemonSet)", args: { disruptionBudget: { maxUnavailable: 1 } }, problems: [["disruptionBudget", NOT_FOR_DAEMON_SET, '{"maxUnavailable":1}']] },
    { title: "memory together with resources", args: { memory: "1Gi", resources: { limits: { memory: "1Gi" } } }, problems: [["memory", "cannot be combined with resources: give it in resources.limits and resources.requests instead", '"1Gi"']] },
    { title: "resources limits as one string", args: { resources: { limits: "1Gi" } }, problems: [["resources.limits", "must be an object", '"1Gi"']] },
    { title: "a security context spread from a string", args: { securityContext: { pod: "yes" } }, problems: [["securityContext.pod", "must be an object", '"yes"']] },
    { title: "a negative runAsUser", args: { securityContext: { pod: { runAsUser: -1 } } }, problems: [["securityContext.pod.runAsUser", "must be an integer from 0 to 2147483647", "-1"]] },
    { title: "a typo in the pod security context", args: { securityContext: { pod: { runAsUsr: 2000 } } }, problems: [["securityContext.pod.runAsUsr", 'is not a known field; did you mean "runAsUser"?', "2000"]] },
    {
        title: "a secret Output inside a probe",
        args: { livenessProbe: { exec: { command: ["check", pulumi.secret(PLANTED_CREDENTIAL)] } } },
        problems: [["livenessProbe.exec.command[1]", "must be a plain value known at construction, not an Output or a Promise: it is rendered into the pod spec, where a secret must never be", "an Output"]],
    },
    { title: "a toleration as an Output", args: { tolerations: [pulumi.output({ key: "k" })] }, problems: [["tolerations[0]", "must be a plain value known at construction, not an Output or a Promise: it is rendered into the pod spec, where a secret must never be", "an Output"]] },
    { title: "a credential typed where a Secret reference belongs, under any name", args: { secretEnv: { MODE: PLANTED_CREDENTIAL } }, problems: [["secretEnv.MODE", "must be { secretName, key, optional? }", "[secret]"]] },
    { title: "an image URL with a password", args: { image: `registry://ci:${PLANTED_CREDENTIAL}@registry.example.com/cache:1` }, problems: [["image", "must not hold a password (a URL's user:password@): registry credentials belong in an image pull Secret", "[secret]"]] },
    { title: "memory overflowing a number", args: { memory: "1e400" }, problems: [["memory", 'must be at most "1Ti"', '"1e400"']] },
    { title: "prepareHostPath as a string", args: { prepareHostPath: "no" }, problems: [["prepareHostPath", "must be true or false", '"no"']] },
    { title: "localStorageClass with an unknown field", args: { localStorageClass: { name: "local" } }, problems: [["localStorageClass.name", "is not a known field (known: storageClassName)", '"local"']] },
];

describe("NodeLocalStore strict validation", () => {
    itRefusesEach({ kind: "NodeLocalStore", name: "blobs" }, validateNodeLocalStoreArgs, BASE, NODE_LOCAL_STRICT_CASES, PLANTED_CREDENTIAL);

    it("accepts the record-shaped env and the default host path", () => {
        const args: NodeLocalStoreArgs = { ...BASE, env: { FOO: "bar", POSTGRES_PASSWORD_FILE: "/run/secrets/pw" } };
        assert.deepStrictEqual(validateNodeLocalStoreArgs("blobs", args), []);
        const pod = buildNodeLocalStoreSpecs("blobs", args).daemonSet.template as { spec: { containers: { env: unknown[] }[]; volumes: unknown[] } };
        assert.deepStrictEqual(pod.spec.containers[0].env.slice(3), [{ name: "FOO", value: "bar" }, { name: "POSTGRES_PASSWORD_FILE", value: "/run/secrets/pw" }]);
        assert.deepStrictEqual(pod.spec.volumes, [{ hostPath: { path: "/var/lib/stateful-stacks/storage/blobs", type: "DirectoryOrCreate" }, name: "data" }]);
    });

    it("hands the host directory to the pod's own user and group", () => {
        const args: NodeLocalStoreArgs = { ...BASE, securityContext: { pod: { fsGroup: 3000, runAsGroup: 3000, runAsUser: 2000 } } };
        assert.deepStrictEqual(validateNodeLocalStoreArgs("blobs", args), []);
        const pod = buildNodeLocalStoreSpecs("blobs", args).daemonSet.template as { spec: { initContainers: { command: string[] }[]; securityContext: { runAsUser: number } } };
        assert.deepStrictEqual(pod.spec.initContainers[0].command, ["sh", "-c", "chown 2000:3000 /data && chmod 0750 /data"]);
        assert.strictEqual(pod.spec.securityContext.runAsUser, 2000);
    });

    it("renders a host path in normal form", () => {
        const args: NodeLocalStoreArgs = { ...BASE, hostPath: "/mnt//disks/./nvme0/blobs/" };
        assert.deepStrictEqual(validateNodeLocalStoreArgs("blobs", args), []);
        const pod = buildNodeLocalStoreSpecs("blobs", args).daemonSet.template as { spec: { volumes: { hostPath: { path: string } }[] } };
        assert.strictEqual(pod.spec.volumes[0].hostPath.path, "/mnt/disks/nvme0/blobs");
    });
});
