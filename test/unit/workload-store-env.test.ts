import * as assert from "assert";
import { ExternalStore } from "../../components/external/external-store";
import { StatefulWorkload } from "../../components/workload/stateful-workload";
import { expectInvalid, recorder } from "../support/pulumi";

const base = { namespace: "db", image: "postgres:16.4", ports: [{ name: "pg", port: 5432 }] };

describe("StatefulWorkload: a variable comes from one place, its own env or an external store", () => {
    let db: ExternalStore;

    before(async () => {
        const rec = await recorder();
        rec.reset();
        db = new ExternalStore("db", { namespace: "db", engine: "postgresql", hosts: ["db.example.com"], password: "Planted-Store-Pw" });
    });

    it("knows the store's variable names at construction", () => {
        assert.deepStrictEqual(db.envNames, ["DB_ENGINE", "DB_HOSTS", "DB_PASSWORD", "DB_PORT"]);
    });

    it("refuses env, secretEnv and configMapEnv names that the store sets, naming the store", () => {
        const { message, paths } = expectInvalid(
            () =>
                new StatefulWorkload("a", {
                    ...base,
                    env: { DB_HOSTS: "mine" },
                    secretEnv: { DB_PASSWORD: { secretName: "pw", key: "password" } },
                    configMapEnv: { DB_PORT: { configMapName: "cfg", key: "port" } },
                    externalStores: [db],
                }),
        );
        assert.deepStrictEqual(paths, ["env.DB_HOSTS", "configMapEnv.DB_PORT", "secretEnv.DB_PASSWORD"]);
        assert.ok(
            message.includes('env.DB_HOSTS: must not also be set by externalStores[0] ("db"), which sets DB_HOSTS from its ConfigMap or Secret: each variable comes from one place (got "DB_HOSTS")'),
            message,
        );
        assert.ok(!message.includes("Planted-Store-Pw"), message);
    });

    it("accepts variables the store does not set", () => {
        assert.doesNotThrow(() => new StatefulWorkload("a", { ...base, env: { DB_POOL: "10" }, externalStores: [db] }));
    });
});
