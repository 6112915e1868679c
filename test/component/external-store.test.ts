import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExternalStore, ExternalStoreArgs, externalStoreWiring, StatefulWorkload, withExternalStores } from "../../components";
import { externalStoreChecksum } from "../../components/external/external-store-render";
import { assertSchemaValid, expectInvalid, recorder, registrations, render, renderComponent, valueOf } from "../support/pulumi";
import { assertNoSecretLeaks, guardEveryRender, secretLeaks } from "../support/secrets";
import { Recorder } from "../../tools/engine/mocks";
import { EmulatedApiServer } from "./external-store-apiserver";

const TYPE = "stateful-stacks:external:ExternalStore";
const COMPONENT_URN = (name: string) => `urn:pulumi:test::stateful-stacks::${TYPE}::${name}`;
const ARGS: ExternalStoreArgs = {
    database: "orders",
    engine: "postgresql",
    externalName: "orders.cluster-abc.us-east-1.rds.amazonaws.com",
    hosts: ["orders.cluster-abc.us-east-1.rds.amazonaws.com"],
    namespace: "shop",
    options: { sslmode: "verify-full" },
    password: "correct-horse-battery",
    username: "orders_app",
};
const LABELS = {
    "app.kubernetes.io/component": "external-store",
    "app.kubernetes.io/instance": "orders",
    "app.kubernetes.io/managed-by": "stateful-stacks",
    "app.kubernetes.io/name": "orders",
};

const guard = guardEveryRender();
const apiServer = new EmulatedApiServer();

/** Each suite that reads checksums runs against the emulated API server's resource versions. */
function withApiServer(): void {
    before(async () => {
        await recorder();
        apiServer.reset();
        apiServer.start();
    });
    after(() => apiServer.stop());
}

async function renderStore(args: ExternalStoreArgs, name = "orders"): Promise<{ rec: Recorder; store: ExternalStore; checksum: string }> {
    const { component: store, rec } = await renderComponent(() => new ExternalStore(name, args));
    assertSchemaValid(rec);
    return { checksum: await valueOf(store.checksum), rec, store };
}

describe("ExternalStore component", () => {
    withApiServer();

    it("renders a ConfigMap, a secret Secret and an ExternalName Service, all parented and explicitly named", async () => {
        const { rec, store } = await renderStore(ARGS);
        assert.deepStrictEqual(
            registrations(rec).sort(),
            [
                ["kubernetes:core/v1:ConfigMap", "orders-connection", COMPONENT_URN("orders")],
                ["kubernetes:core/v1:Secret", "orders-credentials", COMPONENT_URN("orders")],
                ["kubernetes:core/v1:Service", "orders", COMPONENT_URN("orders")],
                [TYPE, "orders", undefined],
            ],
        );
        assert.deepStrictEqual(rec.get("kubernetes:core/v1:ConfigMap", "orders-connection").inputs, {
            apiVersion: "v1",
            data: { ENGINE: "postgresql", HOSTS: "orders.cluster-abc.us-east-1.rds.amazonaws.com", NAME: "orders", PORT: "5432", SSLMODE: "verify-full" },
            kind: "ConfigMap",
            metadata: { labels: LABELS, name: "orders-connection", namespace: "shop" },
        });
        const secret = rec.get("kubernetes:core/v1:Secret", "orders-credentials");
        assert.deepStrictEqual(secret.secretPaths, ["stringData"]);
        assert.strictEqual(secret.redactedInputs.stringData, "[secret]");
        assert.deepStrictEqual(secret.inputs.stringData, { password: "correct-horse-battery", username: "orders_app" });
        assert.deepStrictEqual(secret.inputs.metadata, { labels: LABELS, name: "orders-credentials", namespace: "shop" });
        assert.strictEqual(secret.inputs.type, "Opaque");
        assert.deepStrictEqual(rec.get("kubernetes:core/v1:Service", "orders").inputs.spec, { externalName: "orders.cluster-abc.us-east-1.rds.amazonaws.com", type: "ExternalName" });

        assert.strictEqual(await valueOf(store.configMapName), "orders-connection");
        assert.strictEqual(await valueOf(store.secretName), "orders-credentials");
        assert.strictEqual(await valueOf(store.serviceDnsName), "orders.shop.svc.cluster.local");
        assert.deepStrictEqual(await valueOf(store.envFrom), [{ configMapRef: { name: "orders-connection" }, prefix: "DB_" }]);
        assert.deepStrictEqual(
            (await valueOf(store.env)).map((e) => e.name),
            ["DB_ENGINE", "DB_HOSTS", "DB_NAME", "DB_PASSWORD", "DB_PORT", "DB_SSLMODE", "DB_USERNAME"],
        );
        assertNoSecretLeaks(rec, ["correct-horse-battery"]);
    });

    it("exposes a checksum that is not secret, hides the password and changes with it", async () => {
        const first = await renderStore(ARGS);
        const isSecret = await (first.store.checksum as unknown as { isSecret: Promise<boolean> }).isSecret;
        assert.strictEqual(isSecret, false);
        assert.ok(!first.checksum.includes("correct-horse"));
        const again = await renderStore(ARGS);
        const rotated = await renderStore({ ...ARGS, password: "rotated-password-2" });
        const renamed = await renderStore({ ...ARGS, username: "orders_v2" });
        const moved = await renderStore({ ...ARGS, hosts: ["10.0.0.7"] });
        assert.strictEqual(again.checksum, first.checksum, "deterministic");
        assert.strictEqual(new Set([first.checksum, rotated.checksum, renamed.checksum, moved.checksum]).size, 4);
    });

    it("keeps a password given as a secret Output secret; the checksum stays plain", async () => {
        const { rec, checksum } = await renderStore({ ...ARGS, password: pulumi.secret("from-config-secret") });
        assert.deepStrictEqual(rec.get("kubernetes:core/v1:Secret", "orders-credentials").secretPaths, ["stringData"]);
        assert.match(checksum, /^[0-9a-f]{64}$/);
        assertNoSecretLeaks(rec, ["from-config-secret"]);
    });

    it("knows the checksum when the program runs (a preview shows the pods' template as an update), from the data and the credentials", async () => {
        const first = await renderStore({ ...ARGS, password: "planted-password-one" });
        const expected = externalStoreChecksum("orders", "shop", {
            config: first.rec.get("kubernetes:core/v1:ConfigMap", "orders-connection").inputs.data,
            existingSecret: null,
            externalName: ARGS.externalName!,
            secret: { password: "planted-password-one", username: "orders_app" },
        });
        assert.strictEqual(first.checksum, expected);
        assert.ok(!first.checksum.includes("planted-password"));
    });

    it("keys the checksum with a secret checksumKey: a plain HMAC-SHA256, the key stored nowhere", async () => {
        const key = "planted-checksum-key-0123456789abcdef";
        const { rec, store, checksum } = await renderStore({ ...ARGS, checksumKey: pulumi.secret(key), password: "planted-password-two" });
        const expected = externalStoreChecksum(
            "orders",
            "shop",
            {
                config: rec.get("kubernetes:core/v1:ConfigMap", "orders-connection").inputs.data,
                existingSecret: null,
                externalName: ARGS.externalName!,
                secret: { password: "planted-password-two", username: "orders_app" },
            },
            key,
        );
        assert.strictEqual(checksum, expected);
        assert.strictEqual(await (store.checksum as unknown as { isSecret: Promise<boolean> }).isSecret, false);
        const unkeyed = await renderStore({ ...ARGS, password: "planted-password-two" });
        assert.notStrictEqual(checksum, unkeyed.checksum);
        const everything = JSON.stringify(rec.resources.map((r) => r.inputs));
        assert.ok(!everything.includes(key), "the key is in no registered object");
        assertNoSecretLeaks(rec, [key, "planted-password-two"]);
    });

    it("fails the program, without showing it, when a checksumKey given as an Output is too short", async () => {
        let store!: ExternalStore;
        await render(() => {
            store = new ExternalStore("orders", { ...ARGS, checksumKey: pulumi.secret("planted-short") });
        });
        const checksum = store.checksum as unknown as { promise(): Promise<string> };
        await assert.rejects(checksum.promise(), (err: Error) => {
            // The engine reports it where it meets it first (serializing the component's outputs).
            assert.match(err.message, /(^|: )ExternalStore "orders": checksumKey must be a string of at least 32 characters \(the value is secret and not shown\)$/);
            assert.ok(!err.message.includes("planted-short"));
            return true;
        });
    });

    it("warns when it holds a password without checksumKey, and only then", async () => {
        const warnings: string[] = [];
        const original = console.warn;
        console.warn = (...parts: unknown[]) => void warnings.push(parts.join(" "));
        try {
            await renderStore(ARGS);
            await renderStore({ ...ARGS, checksumKey: "k".repeat(32) });
            await renderStore({ engine: "mysql", existingSecretName: "rds-master", hosts: ["10.1.2.3"], namespace: "shop" }, "legacy");
        } finally {
            console.warn = original;
        }
        assert.deepStrictEqual(warnings, [
            'warning: [runtime] ExternalStore "orders": its checksum annotation (on every consuming pod template) is PBKDF2 over the credentials with a public salt, so whoever can read pod specs can test guessed passwords offline; give "checksumKey" (a secret of at least 32 characters) to key it with HMAC-SHA256',
        ]);
    });

    it("changes with the password, and only when something changes", async () => {
        const before = await renderStore(ARGS);
        const unchanged = await renderStore(ARGS);
        const rotated = await renderStore({ ...ARGS, password: "rotated-password-3" });
        assert.strictEqual(unchanged.checksum, before.checksum, "nothing changed, nothing rolled");
        assert.notStrictEqual(rotated.checksum, before.checksum);
    });

    it("creates no Secret and no Service for an existing Secret without externalName", async () => {
        const { rec, store } = await renderStore({ engine: "mysql", existingSecretName: "rds-master", hosts: ["10.1.2.3", "fd00::5"], namespace: "shop", envPrefix: "SQL_" }, "legacy");
        assert.deepStrictEqual(rec.resources.map((r) => `${r.type}::${r.name}`).sort(), ["kubernetes:core/v1:ConfigMap::legacy-connection", `${TYPE}::legacy`]);
        assert.strictEqual(rec.get("kubernetes:core/v1:ConfigMap", "legacy-connection").inputs.data.HOSTS, "10.1.2.3,fd00::5");
        assert.strictEqual(await valueOf(store.secretName), "rds-master");
        assert.strictEqual(await valueOf(store.serviceDnsName), undefined);
        assert.strictEqual(store.secret, undefined);
    });

    it("registers nothing for refused arguments and names every property", async () => {
        const rec = await recorder();
        rec.reset();
        const { message, paths } = expectInvalid(() => new ExternalStore("orders", { ...ARGS, hosts: ["db:5432"], port: 0, options: { dbPassword: "leak-me-not" } }));
        assert.deepStrictEqual(paths, ["hosts[0]", "port", "options.dbPassword"]);
        assert.ok(message.startsWith('ExternalStore "orders" has 3 invalid arguments:'));
        assert.ok(!message.includes("leak-me-not"));
        assert.deepStrictEqual(rec.resources, []);
    });
});

describe("external store wiring into a Deployment", () => {
    withApiServer();
    function deploymentWith(stores: ExternalStore[]) {
        const template = withExternalStores(
            {
                metadata: { annotations: { team: "orders" }, labels: { app: "api" } },
                spec: { containers: [{ image: "ghcr.io/acme/api:1.4.2", name: "api" }, { image: "envoyproxy/envoy:v1.31.0", name: "proxy" }] },
            },
            stores,
            { containers: ["api"], namespace: "shop" },
        );
        return new k8s.apps.v1.Deployment("api", { metadata: { name: "api", namespace: "shop" }, spec: { selector: { matchLabels: { app: "api" } }, template } });
    }

    async function renderDeployment(password: string) {
        const rec = await render(() => {
            const store = new ExternalStore("orders", { ...ARGS, password });
            const deployment = deploymentWith([store]);
            return { spec: deployment.spec };
        });
        assertSchemaValid(rec);
        return { rec, template: rec.get("kubernetes:apps/v1:Deployment", "api").inputs.spec.template };
    }

    it("adds env to the named containers, checksum annotations and a wait-for-store init container", async () => {
        const { template } = await renderDeployment("correct-horse-battery");
        const api = template.spec.containers[0];
        assert.deepStrictEqual(api.env.map((e: { name: string }) => e.name), ["DB_ENGINE", "DB_HOSTS", "DB_NAME", "DB_PASSWORD", "DB_PORT", "DB_SSLMODE", "DB_USERNAME"]);
        assert.deepStrictEqual(api.env[3], { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "orders-credentials" } } });
        assert.deepStrictEqual(api.envFrom, [{ configMapRef: { name: "orders-connection" }, prefix: "DB_" }]);
        assert.deepStrictEqual(template.spec.containers[1], { image: "envoyproxy/envoy:v1.31.0", name: "proxy" });
        assert.deepStrictEqual(Object.keys(template.metadata.annotations), ["stateful-stacks.io/store-orders-checksum", "team"]);
        assert.deepStrictEqual(template.spec.initContainers.map((c: { name: string; command: string[] }) => [c.name, c.command[2]]), [
            ["wait-for-orders", 'until nc -z -w 2 orders.cluster-abc.us-east-1.rds.amazonaws.com 5432; do echo "waiting for orders.cluster-abc.us-east-1.rds.amazonaws.com:5432"; sleep 2; done'],
        ]);
    });

    it("rolls the pods when the password changes: the pod template's checksum annotation changes", async () => {
        const before = (await renderDeployment("correct-horse-battery")).template.metadata.annotations["stateful-stacks.io/store-orders-checksum"];
        const after = (await renderDeployment("new-password-after-rotation")).template.metadata.annotations["stateful-stacks.io/store-orders-checksum"];
        assert.match(before, /^[0-9a-f]{64}$/);
        assert.notStrictEqual(after, before);
    });

    it("does not change the caller's template", async () => {
        const template = { metadata: {}, spec: { containers: [{ image: "busybox:1.37.0", name: "app", env: [{ name: "A", value: "1" }] }] } };
        const snapshot = JSON.stringify(template);
        await render(() => {
            const store = new ExternalStore("orders", ARGS);
            return { t: withExternalStores(template, [store]) };
        });
        assert.strictEqual(JSON.stringify(template), snapshot);
    });

    it("refuses stores from another namespace and stores with the same env prefix", async () => {
        let withoutWait: pulumi.Output<unknown[]> | undefined;
        await render(() => {
            const a = new ExternalStore("a", { ...ARGS, namespace: "other" });
            const b = new ExternalStore("b", ARGS);
            const c = new ExternalStore("c", ARGS);
            assert.throws(() => externalStoreWiring([a], { namespace: "shop" }), /externalStores\[0\]\.namespace: must be the pods' namespace "shop": pods can only read ConfigMaps and Secrets of their own namespace \(got "other"\)/);
            assert.throws(() => externalStoreWiring([b, c]), /externalStores\[1\]\.envPrefix: is also used by externalStores\[0\]; give each store its own envPrefix \(got "DB_"\)/);
            withoutWait = externalStoreWiring([b], { waitForStores: false }).initContainers;
        });
        assert.deepStrictEqual(await valueOf(withoutWait!), []);
    });
});

describe("external store wiring into a StatefulWorkload", () => {
    withApiServer();
    async function renderWorkload(password: string) {
        const rec = await render(() => {
            const store = new ExternalStore("orders", { ...ARGS, password });
            const workload = new StatefulWorkload("api", { image: "ghcr.io/acme/api:1.4.2", namespace: "shop", externalStores: [store], ports: [{ name: "http", port: 8080 }] });
            return { name: workload.statefulSetName };
        });
        assertSchemaValid(rec);
        return rec.resources.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet").map((r) => r.inputs.spec.template)[0];
    }

    it("rolls the StatefulSet's pods when the password changes, with env as references", async () => {
        const before = await renderWorkload("correct-horse-battery");
        const after = await renderWorkload("new-password-after-rotation");
        const key = "stateful-stacks.io/store-orders-checksum";
        assert.match(before.metadata.annotations[key], /^[0-9a-f]{64}$/);
        assert.notStrictEqual(after.metadata.annotations[key], before.metadata.annotations[key]);
        const env = before.spec.containers[0].env.filter((e: { name: string }) => e.name.startsWith("DB_"));
        assert.deepStrictEqual(env.find((e: { name: string }) => e.name === "DB_PASSWORD"), { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { key: "password", name: "orders-credentials" } } });
        assert.ok(env.every((e: { value?: string }) => e.value === undefined));
    });
});

describe("secret leak guard", () => {
    it("catches passwords in ConfigMaps and env literals, and unmarked Secrets", () => {
        const rec = new Recorder();
        const base = { custom: true, dependsOn: [], deleteBeforeReplace: false, ignoreChanges: [], propertyDependencies: {}, protect: false, replaceOnChanges: [], retainOnDelete: false, state: {} };
        const add = (type: string, name: string, inputs: Record<string, any>, secretPaths: string[] = []) =>
            rec.add({ ...base, inputs, name, redactedInputs: inputs, secretPaths, type, urn: `urn:${type}::${name}` });
        add("kubernetes:core/v1:Secret", "good", { stringData: { password: "hunter2-long" } }, ["stringData"]);
        add("kubernetes:core/v1:Secret", "bad", { data: { token: "dG9r" } });
        add("kubernetes:core/v1:ConfigMap", "cm", { data: { DB_PASSWORD: "x", URL: "postgres://u:p@h/db", COPY: "hunter2-long" } });
        add("kubernetes:apps/v1:Deployment", "d", { spec: { template: { spec: { containers: [{ env: [{ name: "API_TOKEN", value: "abc" }, { name: "PASSWORD_FILE", value: "/run/pw" }] }] } } } });
        assert.deepStrictEqual(secretLeaks(rec), [
            "kubernetes:core/v1:Secret::bad data: a Secret's data is not marked secret in Pulumi state",
            "kubernetes:core/v1:ConfigMap::cm data.DB_PASSWORD: a ConfigMap key that looks like a credential",
            "kubernetes:core/v1:ConfigMap::cm data.URL: a URL with a password in a ConfigMap",
            "kubernetes:core/v1:ConfigMap::cm data.COPY: holds a value that is secret elsewhere, in plain text",
            "kubernetes:apps/v1:Deployment::d spec.template.spec.containers[0].env[0]: env var API_TOKEN has a literal value; credentials must come from a secretKeyRef",
        ]);
    });

    it("has scanned the renders of this run", () => {
        assert.ok(guard.scanned > 0);
    });
});
