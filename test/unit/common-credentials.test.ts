import * as assert from "assert";
import { checkNotCredentialName } from "../../components/common/checks";
import { containsCredential, isCredentialPath, looksLikeCredential, redactText } from "../../components/common/credentials";
import { ProblemList } from "../../components/common/validation";
import { rows, run } from "../support/problems";

describe("common checks: credentials", () => {
    const credentials = ["PGPASSWORD", "MYSQL_PWD", "DB_PASS", "PGPASS", "REDIS_AUTH", "JWT_SIGNING_KEY", "ENCRYPTION_KEY", "API_KEY", "CLIENT_SECRET", "GH_TOKEN", "dbPassword"];
    const notCredentials = ["PGDATA", "PWD", "OLDPWD", "POSTGRES_PASSWORD_FILE", "TLS_SECRET_NAME", "MAX_TOKENS", "PASSWORDLESS_LOGIN", "DATABASE_URL", "CACHE_KEY_PREFIX"];

    it("knows credential names", () => {
        assert.deepStrictEqual(credentials.filter((n) => !looksLikeCredential(n)), []);
        assert.deepStrictEqual(notCredentials.filter((n) => looksLikeCredential(n)), []);
    });

    it("knows credential values whatever their name", () => {
        assert.deepStrictEqual(
            ["postgres://app:pw@db/x", "jdbc:postgresql://db/x?user=a&password=pw", "Server=db;Password=pw", "postgres://app@db/x", "http://db:5432/x", "password="].map(containsCredential),
            [true, true, true, false, false, false],
        );
    });

    it("hides URL userinfo and password parameters in any text", () => {
        assert.strictEqual(redactText("postgres://app:pw@db/x?sslmode=require&password=hunter2"), "postgres://[secret]@db/x?sslmode=require&password=[secret]");
    });

    it("knows credential paths; argument names like createKmsKey are not", () => {
        assert.deepStrictEqual(
            ["env.DB_PASSWORD", "options.apiToken", "initContainers[0].env.REDIS_AUTH", "createKmsKey", "secretEnv.DB_HOST.key", "env.PGDATA"].map(isCredentialPath),
            [true, true, true, false, false, false],
        );
    });

    it("refuses a credential name without printing its value", () => {
        assert.deepStrictEqual(run((p) => checkNotCredentialName(p, "options.password", "password", "options are written to a ConfigMap")), [
            ["options.password", "[secret]", "must not name a credential: password looks like a credential, and options are written to a ConfigMap"],
        ]);
    });

    it("never prints a value under a credential path when asked", () => {
        const planted = "73510296";
        const redacting = run((p) => p.add("env.DB_PASSWORD", Number(planted), "must be a string").add("env.MODE", 3, "must be a string"), { redactCredentialPaths: true });
        assert.deepStrictEqual(redacting, [
            ["env.DB_PASSWORD", "[secret]", "must be a string"],
            ["env.MODE", "3", "must be a string"],
        ]);
    });

    it("never has an empty path", () => {
        assert.deepStrictEqual(run((p) => p.add("", 5, "must be an object")), [["args", "5", "must be an object"]]);
        assert.deepStrictEqual(run((p) => p.add("", 5, "must be an object"), { root: "fileSystem" }), [["fileSystem", "5", "must be an object"]]);
        assert.deepStrictEqual(rows(new ProblemList().addAll([{ path: "", value: "1", expected: "x" }]).problems), [["args", "1", "x"]]);
    });

    it("finds a URL password in a 600,000-character value in one pass (a backtracking pattern took minutes)", () => {
        const long = "a".repeat(600_000);
        assert.strictEqual(containsCredential(long), false);
        assert.strictEqual(containsCredential(`${long} postgres://app:pw@db/x`), true);
        assert.strictEqual(containsCredential(`${"a://".repeat(150_000)}`), false);
        assert.strictEqual(containsCredential("https://example.com/path@host"), false);
    });

    it("judges an entry directly under secretEnv by its name, and the reference inside it not at all", () => {
        assert.strictEqual(isCredentialPath("secretEnv.DB_PASSWORD"), true);
        assert.strictEqual(isCredentialPath("secretEnv.DB_PASSWORD.secretName"), false);
        assert.strictEqual(isCredentialPath("secretEnv.PGDATA"), false);
        assert.deepStrictEqual(
            run((p) => p.add("secretEnv.1PASS", "1PASS", "must be a name").add("secretEnv.DB_PASSWORD", "hunter2", "must be an object"), { redactCredentialPaths: true }),
            [
                ["secretEnv.1PASS", '"1PASS"', "must be a name"],
                ["secretEnv.DB_PASSWORD", "[secret]", "must be an object"],
            ],
        );
    });
});
