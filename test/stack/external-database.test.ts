import * as assert from "assert";
import { assertSchemaValid } from "../support/pulumi";
import { assertNoSecretLeaks } from "../support/secrets";
import { externalStoreChecksum } from "../../components/external/external-store-render";
import { objectOf, placeholder, renderStack } from "./stack-harness";

const STACK = "external-database";
const RDS = "orders.cluster-c9akciq32.us-east-1.rds.amazonaws.com";

describe("stack external-database", () => {
    it("points the app's env at the ExternalStore's ConfigMap and Secret, by reference only", async () => {
        const { rec, outputs } = await renderStack(STACK);
        assertSchemaValid(rec);
        assert.strictEqual(outputs.configMapName, "orders-db-connection");
        assert.strictEqual(outputs.secretName, "orders-db-credentials");
        const pod = objectOf(rec, "kubernetes:apps/v1:Deployment", "orders-api").spec.template;
        const [app] = pod.spec.containers;
        const refs = app.env.map((e: any) => [e.name, e.valueFrom.configMapKeyRef?.name ?? e.valueFrom.secretKeyRef?.name]);
        assert.deepStrictEqual(refs, [
            ["DB_ENGINE", outputs.configMapName],
            ["DB_HOSTS", outputs.configMapName],
            ["DB_NAME", outputs.configMapName],
            ["DB_PASSWORD", outputs.secretName],
            ["DB_PORT", outputs.configMapName],
            ["DB_USERNAME", outputs.secretName],
        ]);
        assert.ok(app.env.every((e: any) => e.value === undefined), "no literal values");
        assert.deepStrictEqual(app.envFrom, [{ configMapRef: { name: outputs.configMapName }, prefix: "DB_" }]);
        assert.strictEqual(pod.metadata.annotations["stateful-stacks.io/store-orders-db-checksum"], outputs.storeChecksum);
        assert.deepStrictEqual(objectOf(rec, "kubernetes:core/v1:ConfigMap", "orders-db-connection").data, { ENGINE: "postgresql", HOSTS: RDS, NAME: "orders", PORT: "5432" });
        assertNoSecretLeaks(rec, [placeholder(STACK, "dbPassword")]);
    });

    it("waits for the database in an init container and gives it a stable in-cluster name", async () => {
        const { rec, outputs } = await renderStack(STACK);
        const [wait] = objectOf(rec, "kubernetes:apps/v1:Deployment", "orders-api").spec.template.spec.initContainers;
        assert.strictEqual(wait.name, "wait-for-orders-db");
        assert.deepStrictEqual(wait.command, ["sh", "-c", `until nc -z -w 2 ${RDS} 5432; do echo "waiting for ${RDS}:5432"; sleep 2; done`]);
        assert.deepStrictEqual(objectOf(rec, "kubernetes:core/v1:Service", "orders-db").spec, { externalName: RDS, type: "ExternalName" });
        assert.strictEqual(outputs.dbServiceDnsName, "orders-db.external-database.svc.cluster.local");
    });

    it("takes IP hosts without an ExternalName Service", async () => {
        const { rec, outputs } = await renderStack(STACK, { dbHosts: "1.2.3.4,5.6.7.8" });
        assertSchemaValid(rec);
        assert.strictEqual(objectOf(rec, "kubernetes:core/v1:ConfigMap", "orders-db-connection").data.HOSTS, "1.2.3.4,5.6.7.8");
        assert.deepStrictEqual(rec.ofType("kubernetes:core/v1:Service"), []);
        assert.strictEqual(outputs.dbServiceDnsName, undefined);
        const [wait] = objectOf(rec, "kubernetes:apps/v1:Deployment", "orders-api").spec.template.spec.initContainers;
        assert.match(wait.command[2], /^until nc -z -w 2 1\.2\.3\.4 5432 \|\| nc -z -w 2 5\.6\.7\.8 5432;/);
    });

    it("keys the checksum annotation with the secret storeChecksumKey, which is rendered nowhere", async () => {
        const key = "planted-store-checksum-key-0123456789";
        const { rec, outputs } = await renderStack(STACK, { storeChecksumKey: key });
        const pod = objectOf(rec, "kubernetes:apps/v1:Deployment", "orders-api").spec.template;
        const expected = externalStoreChecksum(
            "orders-db",
            STACK,
            {
                config: { ENGINE: "postgresql", HOSTS: RDS, NAME: "orders", PORT: "5432" },
                existingSecret: null,
                externalName: RDS,
                secret: { password: placeholder(STACK, "dbPassword"), username: "orders_app" },
            },
            key,
        );
        assert.strictEqual(pod.metadata.annotations["stateful-stacks.io/store-orders-db-checksum"], expected);
        assert.strictEqual(outputs.storeChecksum, expected);
        const unkeyed = await renderStack(STACK);
        assert.notStrictEqual(unkeyed.outputs.storeChecksum, expected);
        assert.ok(!JSON.stringify(rec.resources.map((r) => r.inputs)).includes(key), "the key is in no object");
        assertNoSecretLeaks(rec, [key, placeholder(STACK, "dbPassword")]);
    });

    it("refuses a storeChecksumKey shorter than 32 characters, without showing it", async () => {
        await assert.rejects(renderStack(STACK, { storeChecksumKey: "planted-short-key" }), (err: Error) => {
            assert.strictEqual(err.message, 'stack config "stateful-stacks:storeChecksumKey" must be at least 32 characters long (the value is secret and not shown)');
            return true;
        });
    });

    it("refuses a config key no scenario reads", async () => {
        await assert.rejects(renderStack(STACK, { dbHost: "db.internal" }), {
            message:
                'stack config for scenario "external-database" has unknown key(s) "dbHost"; the keys this scenario reads are: appImage, appReplicas, dbEngine, dbExternalName, dbHosts, dbName, dbPassword, dbPort, dbUser, localMode, namespace, scenario, skipAwait, storeChecksumKey',
        });
    });
});
