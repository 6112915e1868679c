import * as assert from "assert";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Recorder } from "../../tools/engine/mocks";
import { renderStack } from "../stack/stack-harness";

/**
 * The PostgreSQL tier (`npm run test:postgres`, tools/postgres/run.sh): the rotation Job's
 * script and the backup CronJob's pg_dump, exactly as the postgres-ebs stack renders them,
 * run against a real PostgreSQL server started here in a temp dir. What a kubelet would do
 * is done at the edge, by this file: the env of each container is built from the rendered
 * values and Secrets (`secretKeyRef` resolved from the rendered Secret's `stringData`), and
 * PGHOST/PGPORT point at the local server instead of the in-cluster Service name. The
 * server is initialised as the image's entrypoint does on first start (initdb with the
 * password as `POSTGRES_PASSWORD`), with scram-sha-256 over TCP and `log_statement = all`,
 * so that the server log would show any statement that carried a password.
 */

const BIN = process.env.STATEFUL_STACKS_PG_BIN;
const STACK = "postgres-ebs";
const FIRST = "first-password-0001";
const SECOND = "second-password-0002";
/** Quotes, a backslash, a dollar sign, a semicolon and a comment: psql must quote it whole. */
const HOSTILE = `it's a "test" \\ $HOME; DROP ROLE postgres; --`;
const ROOT = process.getuid?.() === 0;

interface Server {
    readonly dir: string;
    readonly port: number;
    readonly log: string;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** Runs a PostgreSQL server program as the `postgres` user when this process is root (initdb refuses root). */
function asServer(program: string, args: readonly string[]): SpawnSyncReturns<string> {
    const file = path.join(BIN!, program);
    const result = ROOT ? spawnSync("runuser", ["-u", "postgres", "--", file, ...args], { encoding: "utf8" }) : spawnSync(file, [...args], { encoding: "utf8" });
    assert.strictEqual(result.status, 0, `${program} failed: ${result.stderr}`);
    return result;
}

async function startServer(password: string): Promise<Server> {
    const dir = fs.mkdtempSync(path.join(ROOT ? "/var/tmp" : os.tmpdir(), "stateful-stacks-pg-"));
    fs.chmodSync(dir, 0o755);
    const pwfile = path.join(dir, "pwfile");
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (ROOT) {
        spawnSync("chown", ["-R", "postgres:postgres", dir]);
    }
    const data = path.join(dir, "data");
    asServer("initdb", ["--pgdata", data, "--username", "postgres", "--pwfile", pwfile, "--auth-host", "scram-sha-256", "--auth-local", "scram-sha-256", "--encoding", "UTF8", "--no-instructions"]);
    fs.rmSync(pwfile);
    const port = await freePort();
    const log = path.join(dir, "server.log");
    const options = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c log_statement=all -c log_min_error_statement=error`;
    asServer("pg_ctl", ["--pgdata", data, "--log", log, "--wait", "--options", options, "start"]);
    return { dir, log, port };
}

function stopServer(server: Server): void {
    asServer("pg_ctl", ["--pgdata", path.join(server.dir, "data"), "--mode", "fast", "--wait", "stop"]);
    fs.rmSync(server.dir, { force: true, recursive: true });
}

/** The container of a rendered object's pod template. */
interface Container {
    readonly command: string[];
    readonly env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { key: string; name: string } } }[];
}

/** The env a kubelet would give the container: values as they are, Secret references from the rendered Secrets. */
function kubeletEnv(rec: Recorder, container: Container, server: Server): Record<string, string> {
    const secrets = rec.ofType("kubernetes:core/v1:Secret");
    const env: Record<string, string> = {};
    for (const v of container.env) {
        const ref = v.valueFrom?.secretKeyRef;
        if (ref) {
            const secret = secrets.find((s) => s.inputs.metadata.name === ref.name);
            assert.ok(secret, `the container references Secret ${ref.name}, which the stack does not render`);
            env[v.name] = secret.inputs.stringData[ref.key];
        } else {
            env[v.name] = v.value ?? "";
        }
    }
    return { ...env, PGHOST: "127.0.0.1", PGPORT: String(server.port) };
}

function run(command: readonly string[], env: Record<string, string>): SpawnSyncReturns<string> {
    return spawnSync(command[0], command.slice(1), { encoding: "utf8", env: { ...env, PATH: `${BIN}:/usr/bin:/bin` }, timeout: 60_000 });
}

/** The rotation Job's container, rendered with `dbPassword` and `dbPreviousPassword`. */
async function rotationJob(password: string, previous: string): Promise<{ rec: Recorder; container: Container }> {
    const { rec } = await renderStack(STACK, { dbPassword: password, dbPreviousPassword: previous });
    const container = rec.get("kubernetes:batch/v1:Job", "postgres-password-rotation").inputs.spec.template.spec.containers[0] as Container;
    return { container, rec };
}

/** The backup CronJob's container, rendered with `dbPassword`, writing below `dir` instead of the claim's mount. */
async function backupJob(password: string, dir: string): Promise<{ rec: Recorder; container: Container }> {
    const { rec } = await renderStack(STACK, { dbPassword: password });
    const container = rec.get("kubernetes:batch/v1:CronJob", "postgres-backup").inputs.spec.jobTemplate.spec.template.spec.containers[0] as Container;
    const [sh, flag, script] = container.command;
    assert.ok(script.includes('"/backups/'), "the backup writes to the claim mounted at /backups");
    return { container: { ...container, command: [sh, flag, script.replace('"/backups/', `"${dir}/`)] }, rec };
}

/** True when `password` logs the postgres role in over TCP. */
function logsIn(server: Server, password: string): boolean {
    const result = run(["psql", "--no-password", "--no-psqlrc", "--tuples-only", "--command=SELECT 1"], {
        PGDATABASE: "postgres",
        PGHOST: "127.0.0.1",
        PGPASSWORD: password,
        PGPORT: String(server.port),
        PGUSER: "postgres",
    });
    return result.status === 0;
}

function assertNoPassword(text: string, passwords: readonly string[], where: string): void {
    for (const p of passwords) {
        assert.ok(!text.includes(p), `${where} holds a password`);
    }
}

describe("postgres-ebs password rotation against a real PostgreSQL", function () {
    let server: Server;
    const outputs: string[] = [];

    before(async function () {
        assert.ok(BIN, "STATEFUL_STACKS_PG_BIN is not set: run this tier with `npm run test:postgres`");
        server = await startServer(FIRST);
        // The app database, as POSTGRES_DB creates it.
        assert.strictEqual(run(["createdb", "app"], { PGHOST: "127.0.0.1", PGPASSWORD: FIRST, PGPORT: String(server.port), PGUSER: "postgres" }).status, 0);
    });

    after(() => {
        if (server) {
            stopServer(server);
        }
    });

    it("without the rotation the backup fails once the Secret holds a new password (the defect)", async () => {
        const dumps = fs.mkdtempSync(path.join(os.tmpdir(), "dumps-"));
        try {
            const { rec, container } = await backupJob(SECOND, dumps);
            const result = run(container.command, kubeletEnv(rec, container, server));
            outputs.push(result.stdout, result.stderr);
            assert.notStrictEqual(result.status, 0);
            assert.match(result.stderr, /password authentication failed for user "postgres"/);
        } finally {
            fs.rmSync(dumps, { force: true, recursive: true });
        }
    });

    it("the Job logs in with the previous password and sets the new one: the new one logs in, the old one no longer", async () => {
        const { rec, container } = await rotationJob(SECOND, FIRST);
        const result = run(container.command, kubeletEnv(rec, container, server));
        outputs.push(result.stdout, result.stderr);
        assert.deepStrictEqual([result.status, result.stdout, result.stderr], [0, "role postgres now logs in with the password in Secret postgres-credentials\n", ""]);
        assert.deepStrictEqual([logsIn(server, SECOND), logsIn(server, FIRST)], [true, false]);
    });

    it("then the backup job's pg_dump, as rendered, logs in with the Secret's password and writes a dump", async () => {
        const dumps = fs.mkdtempSync(path.join(os.tmpdir(), "dumps-"));
        try {
            const { rec, container } = await backupJob(SECOND, dumps);
            const result = run(container.command, kubeletEnv(rec, container, server));
            outputs.push(result.stdout, result.stderr);
            assert.deepStrictEqual([result.status, result.stderr], [0, ""]);
            const files = fs.readdirSync(dumps);
            assert.strictEqual(files.length, 1);
            assert.match(files[0], /^app-\d{8}T\d{6}\.dump$/);
            assert.strictEqual(fs.readFileSync(path.join(dumps, files[0])).subarray(0, 5).toString("latin1"), "PGDMP", "a pg_dump custom-format archive");
        } finally {
            fs.rmSync(dumps, { force: true, recursive: true });
        }
    });

    it("run again (a re-run, or a retried pod) it changes nothing and succeeds", async () => {
        const { rec, container } = await rotationJob(SECOND, FIRST);
        const result = run(container.command, kubeletEnv(rec, container, server));
        outputs.push(result.stdout, result.stderr);
        assert.deepStrictEqual(
            [result.status, result.stdout, result.stderr],
            [0, "role postgres already logs in with the password in Secret postgres-credentials: nothing to change\n", ""],
        );
        assert.strictEqual(logsIn(server, SECOND), true);
    });

    it("fails, naming neither password, when neither logs in (a wrong dbPreviousPassword); nothing changes", async () => {
        const { rec, container } = await rotationJob("third-password-0003", "not-the-password");
        const result = run(container.command, kubeletEnv(rec, container, server));
        outputs.push(result.stdout, result.stderr);
        assert.deepStrictEqual(
            [result.status, result.stdout, result.stderr],
            [
                1,
                "",
                `role postgres at 127.0.0.1:${server.port} logs in neither with the password in Secret postgres-credentials nor with the one in Secret postgres-password-rotation (key previous-password), or the server does not answer; see "Rotating credentials" in the README\n`,
            ],
        );
        assert.strictEqual(logsIn(server, SECOND), true, "the database keeps its password");
    });

    it("sets a password with quotes, a backslash, $ and a semicolon exactly as given (psql quotes it)", async () => {
        const { rec, container } = await rotationJob(HOSTILE, SECOND);
        const result = run(container.command, kubeletEnv(rec, container, server));
        outputs.push(result.stdout, result.stderr);
        assert.deepStrictEqual([result.status, result.stderr], [0, ""]);
        assert.deepStrictEqual([logsIn(server, HOSTILE), logsIn(server, SECOND)], [true, false]);
        const roles = run(["psql", "--no-password", "--no-psqlrc", "--tuples-only", "--no-align", "--command=SELECT count(*) FROM pg_roles WHERE rolname = 'postgres'"], {
            PGDATABASE: "postgres",
            PGHOST: "127.0.0.1",
            PGPASSWORD: HOSTILE,
            PGPORT: String(server.port),
            PGUSER: "postgres",
        });
        assert.strictEqual(roles.stdout, "1\n", "the role is still there");
    });

    it("no password reached the server log (log_statement = all) or the Jobs' output", () => {
        const log = fs.readFileSync(server.log, "utf8");
        assert.match(log, /statement: SELECT 1/, "the server logs statements");
        assert.doesNotMatch(log, /ALTER ROLE/, "the ALTER ROLE is not logged");
        assertNoPassword(log, [FIRST, SECOND, HOSTILE, "third-password-0003", "not-the-password"], "the server log");
        assertNoPassword(outputs.join("\n"), [FIRST, SECOND, HOSTILE, "third-password-0003", "not-the-password"], "the Jobs' output");
    });
});
