import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/* eslint-disable @typescript-eslint/no-require-imports */
const grpc = require("@grpc/grpc-js");
const langproto = require("@pulumi/pulumi/proto/language_pb");
const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The stand-in Node.js language host (tools/e2e/bin/pulumi-language-nodejs) served over
 * its real gRPC protocol: RunPlugin starts `@pulumi/pulumi/cmd/run-plugin` on a plugin
 * directory and streams its output, as the engine asks of a host to run a component
 * provider from source.
 */

const root = path.resolve(__dirname, "../..");
const HOST = path.join(root, "tools/e2e/bin/pulumi-language-nodejs");
const PLUGIN = path.join(root, "test/fixtures/plugin-echo");

interface PluginRun {
    stdout: string;
    stderr: string;
    error?: { code: number; details: string };
}

describe("stand-in language host: RunPlugin", function () {
    this.timeout(60000);
    let host: ChildProcess;
    let client: any; // eslint-disable-line @typescript-eslint/no-explicit-any

    before(async () => {
        host = spawn(process.execPath, [HOST], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            host.stdout!.on("data", (chunk: Buffer) => {
                out += chunk.toString();
                if (out.includes("\n")) resolve(Number(out.trim()));
            });
            host.on("exit", (code) => reject(new Error(`host exited ${code}`)));
        });
        client = new langrpc.LanguageRuntimeClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    const made: string[] = [];
    function tempDir(prefix: string): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
        made.push(dir);
        return dir;
    }

    after(() => {
        client?.close();
        host?.kill();
        for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
    });

    function programInfo(directory: string, options: Record<string, unknown>) {
        const info = new langproto.ProgramInfo();
        info.setRootDirectory(directory);
        info.setProgramDirectory(directory);
        info.setEntryPoint(".");
        info.setOptions(Struct.fromJavaScript(options));
        return info;
    }

    function runPlugin(opts: {
        pwd: string;
        args: string[];
        env: string[];
        options?: Record<string, unknown>;
        kind?: string;
        directory?: string;
    }): Promise<PluginRun> {
        const req = new langproto.RunPluginRequest();
        req.setPwd(opts.pwd);
        req.setArgsList(opts.args);
        req.setEnvList(opts.env);
        req.setInfo(programInfo(opts.directory ?? PLUGIN, opts.options ?? {}));
        req.setKind(opts.kind ?? "resource");
        req.setName("plugin-echo");
        return new Promise((resolve) => {
            const run: PluginRun = { stdout: "", stderr: "" };
            const call = client.runPlugin(req);
            call.on("data", (resp: any) => { // eslint-disable-line @typescript-eslint/no-explicit-any
                if (resp.hasStdout()) run.stdout += Buffer.from(resp.getStdout_asU8()).toString();
                if (resp.hasStderr()) run.stderr += Buffer.from(resp.getStderr_asU8()).toString();
            });
            call.on("error", (err: { code: number; details: string }) => {
                run.error = { code: err.code, details: err.details };
                resolve(run);
            });
            call.on("end", () => resolve(run));
        });
    }

    const baseEnv = [`PATH=${process.env.PATH}`, "PLUGIN_ECHO=hello"];

    it("runs the plugin directory with the engine's arguments, environment and working directory", async () => {
        const pwd = tempDir("plugin-pwd-");
        const run = await runPlugin({ pwd, args: ["127.0.0.1:12345", "second"], env: baseEnv });
        assert.deepStrictEqual(run, {
            stdout: 'args ["127.0.0.1:12345","second"]\n',
            stderr: `cwd ${fs.realpathSync(pwd)} typescript true tsconfig - echo hello\n`,
        });
    });

    it("passes the typescript and tsconfig options as the Go host does", async () => {
        const run = await runPlugin({
            pwd: PLUGIN,
            args: [],
            env: baseEnv,
            options: { typescript: false, tsconfig: "tsconfig.plugin.json" },
        });
        assert.deepStrictEqual(run, {
            stdout: "args []\n",
            stderr: `cwd ${PLUGIN} typescript - tsconfig tsconfig.plugin.json echo hello\n`,
        });
    });

    it("ends the stream with the exit code as an error when the plugin fails", async () => {
        const run = await runPlugin({ pwd: PLUGIN, args: [], env: [...baseEnv, "PLUGIN_ECHO_EXIT=3"] });
        assert.deepStrictEqual(run, {
            stdout: "args []\n",
            stderr: `cwd ${PLUGIN} typescript true tsconfig - echo hello\n`,
            error: { code: grpc.status.UNKNOWN, details: "Program exited with non-zero exit code: 3" },
        });
    });

    it("says how to install the SDK when the plugin directory has none", async () => {
        const bare = tempDir("plugin-bare-");
        const run = await runPlugin({ pwd: bare, args: [], env: baseEnv, directory: bare });
        assert.deepStrictEqual(run, {
            stdout: "",
            stderr: "",
            error: {
                code: grpc.status.UNKNOWN,
                details: `It looks like the Pulumi SDK has not been installed. Have you run npm install in ${bare}?`,
            },
        });
    });
});
