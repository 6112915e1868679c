import * as assert from "assert";
import { commandHoldsCredential, isCredentialAnnotationKey } from "../../components/common/credentials";
import { StatefulWorkload } from "../../components/workload/stateful-workload";
import { expectInvalid } from "../support/pulumi";

const base = { namespace: "db", image: "postgres:16.4", ports: [{ name: "pg", port: 5432 }] };
const NO_PASSWORD = "must not hold a password (a URL's user:password@ or a password= parameter): the pod spec is not secret; pass it in an environment variable set with secretEnv (got [secret])";

describe("credentials in command lines, probes and annotations", () => {
    it("knows credential options and assignments, and lets references pass", () => {
        const refused = ["--password=hunter2", "--token=abc", "--requirepass=hunter2", "PGPASSWORD=hunter2 psql", "redis-server --requirepass hunter2"];
        const passed = ["--password-file=/run/secrets/pw", "PASSWORD_FILE=/run/secrets/pw", "PGPASSWORD=$PGPASSWORD psql", "--password=", "max_connections=200", "--requirepass $(REDIS_PASSWORD)"];
        assert.deepStrictEqual(refused.filter((t) => !commandHoldsCredential(t)), []);
        assert.deepStrictEqual(passed.filter((t) => commandHoldsCredential(t)), []);
    });

    for (const [label, extra, path] of [
        ["args --password=", { args: ["--password=hunter2"] }, "args[0]"],
        ["args --token=", { args: ["--token=abc"] }, "args[0]"],
        ["args --requirepass=", { args: ["--requirepass=hunter2"] }, "args[0]"],
        ["args --requirepass, value", { args: ["--requirepass", "hunter2"] }, "args[1]"],
        ["command shell assignment", { command: ["sh", "-c", "PGPASSWORD=hunter2 psql"] }, "command[2]"],
    ] as const) {
        it(`refuses ${label}, never printing it`, () => {
            const { message, paths } = expectInvalid(() => new StatefulWorkload("a", { ...base, ...extra } as never));
            assert.deepStrictEqual(paths, [path]);
            assert.ok(message.includes(`${path}: ${NO_PASSWORD}`), message);
            assert.ok(!message.includes("hunter2") && !message.includes("abc"), message);
        });
    }

    it("accepts --password-file and a PASSWORD_FILE env", () => {
        assert.doesNotThrow(() => new StatefulWorkload("a", { ...base, args: ["--password-file=/run/secrets/pw"], env: { PASSWORD_FILE: "/run/secrets/pw" } }));
    });

    it("refuses an Authorization header in an HTTP probe", () => {
        const { message, paths } = expectInvalid(
            () => new StatefulWorkload("a", { ...base, readinessProbe: { httpGet: { port: "pg", path: "/", httpHeaders: [{ name: "Authorization", value: "Bearer hunter2" }] } } } as never),
        );
        assert.deepStrictEqual(paths, ["readinessProbe.httpGet.httpHeaders[0].value"]);
        assert.ok(
            message.includes(
                "readinessProbe.httpGet.httpHeaders[0].value: must not hold a credential: Authorization is sent with every probe and the pod spec is not secret; probe an endpoint that needs no credential, or use an exec probe that reads it from an environment variable set with secretEnv (got [secret])",
            ),
            message,
        );
    });

    it("refuses a pod annotation whose key names a credential", () => {
        assert.deepStrictEqual(["example.com/db-password", "x.io/api-key", "vault.hashicorp.com/agent-inject-secret-db", "prometheus.io/scrape"].map(isCredentialAnnotationKey), [true, true, false, false]);
        const { message } = expectInvalid(() => new StatefulWorkload("a", { ...base, podAnnotations: { "example.com/db-password": "hunter2" } }));
        assert.ok(
            message.includes("podAnnotations.example.com/db-password: must not be a literal value: example.com/db-password names a credential, and the pod template is not secret; keep the credential in a Secret (got [secret])"),
            message,
        );
        assert.doesNotThrow(() => new StatefulWorkload("a", { ...base, podAnnotations: { "vault.hashicorp.com/agent-inject-secret-db": "database/creds/app", "vault.hashicorp.com/agent-inject-token": "true" } }));
    });
});
