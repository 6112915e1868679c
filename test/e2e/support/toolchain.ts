import * as path from "path";
import { run } from "./run";

/** The repository root. */
export const REPO = path.resolve(__dirname, "..", "..", "..");
export const TOOLCHAIN_SH = path.join(REPO, "tools", "e2e", "toolchain.sh");
export const CLUSTER_SH = path.join(REPO, "tools", "e2e", "cluster.sh");

/** The environment `tools/e2e/toolchain.sh --json` prints. */
export type ToolchainEnv = Readonly<Record<string, string>>;

/**
 * Builds (or finds) the toolchain and returns its environment. Fails — never skips — when
 * a piece is missing (exit 3: the message names the piece and why) or a build failed.
 */
export async function loadToolchain(script = TOOLCHAIN_SH, callerEnv: NodeJS.ProcessEnv = process.env): Promise<ToolchainEnv> {
    const result = await run(script, ["--json"], { cwd: REPO, env: callerEnv });
    if (result.code === 3) {
        let missing = "";
        try {
            missing = (JSON.parse(result.stdout) as ToolchainEnv).STATEFUL_STACKS_E2E_MISSING ?? "";
        } catch {
            missing = result.stderr.trim();
        }
        throw new Error(
            `the e2e toolchain is incomplete, so the end-to-end tier cannot run. Missing: ${missing.split(";").map((m) => m.trim()).join("; ")}\n` +
                `(${path.relative(REPO, script)} exited 3; see tools/e2e/README.md)`,
        );
    }
    if (result.code !== 0) {
        throw new Error(`${path.relative(REPO, script)} --json failed (exit ${result.code}):\n${result.stderr.trim()}`);
    }
    const env = JSON.parse(result.stdout) as ToolchainEnv;
    if (!env.PATH || !env.PULUMI_HOME) {
        throw new Error(`${path.relative(REPO, script)} --json printed no PATH/PULUMI_HOME: ${result.stdout}`);
    }
    return env;
}
